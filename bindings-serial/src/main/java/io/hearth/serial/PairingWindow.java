package io.hearth.serial;

import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.hearth.serial.device.DeviceChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether new serial devices may join right now, which joined during the last window, and which
 * tried and could not be added (with the reason).
 */
public final class PairingWindow {

    private final Clock clock;
    private Instant closesAt = Instant.MIN;
    private final List<DeviceId> joined = new ArrayList<>();
    private final Map<DeviceId, String> failed = new LinkedHashMap<>();

    public PairingWindow(Clock clock) {
        this.clock = clock;
    }

    public synchronized PairingStatus open(Duration duration) {
        if (!isOpen()) {
            joined.clear();
            failed.clear();
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
        failed.remove(device);
        if (!joined.contains(device)) {
            joined.add(device);
        }
    }

    /** The device tried to join and cannot be added; {@code reason} is shown to the homeowner as it is. */
    public synchronized void failed(DeviceId device, String reason) {
        if (!joined.contains(device)) {
            failed.put(device, reason);
        }
    }

    public synchronized PairingStatus status() {
        boolean open = isOpen();
        long secondsLeft = open ? Math.max(1, Duration.between(clock.instant(), closesAt).toSeconds()) : 0;
        List<PairingStatus.Failure> failures = new ArrayList<>();
        failed.forEach((device, reason) -> failures.add(new PairingStatus.Failure(device, reason)));
        return new PairingStatus(DeviceChannel.BINDING, open, secondsLeft, joined, failures);
    }
}
