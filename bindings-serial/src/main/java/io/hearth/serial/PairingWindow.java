package io.hearth.serial;

import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.hearth.serial.device.DeviceChannel;

/** Whether new serial devices may join right now, and which joined during the last window. */
public final class PairingWindow {

    private final Clock clock;
    private Instant closesAt = Instant.MIN;
    private final List<DeviceId> joined = new ArrayList<>();

    public PairingWindow(Clock clock) {
        this.clock = clock;
    }

    public synchronized PairingStatus open(Duration duration) {
        if (!isOpen()) {
            joined.clear();
        }
        closesAt = clock.instant().plus(duration);
        return status();
    }

    public synchronized PairingStatus close() {
        closesAt = Instant.MIN;
        return status();
    }

    public synchronized boolean isOpen() {
        return clock.instant().isBefore(closesAt);
    }

    public synchronized void joined(DeviceId device) {
        if (!joined.contains(device)) {
            joined.add(device);
        }
    }

    public synchronized PairingStatus status() {
        boolean open = isOpen();
        long secondsLeft = open ? Math.max(1, Duration.between(clock.instant(), closesAt).toSeconds()) : 0;
        return new PairingStatus(DeviceChannel.BINDING, open, secondsLeft, joined);
    }
}
