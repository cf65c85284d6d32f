package io.hearth.zigbee.pairing;

import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where pairing stands: when the window closes, which devices joined through it (in the order
 * their interview finished) and which failed, with the reason.
 */
public final class PairingWindow {

    private final String binding;
    private final Clock clock;
    private Instant closesAt = Instant.MIN;
    private final Set<DeviceId> known = new HashSet<>();
    private final Set<DeviceId> arrived = new HashSet<>();
    private final List<DeviceId> joined = new ArrayList<>();
    private final Map<DeviceId, String> failures = new LinkedHashMap<>();

    public PairingWindow(String binding, Clock clock) {
        this.binding = binding;
        this.clock = clock;
    }

    /** Opens (or reopens) the window; devices in {@code alreadyKnown} are not listed as joined. */
    public synchronized void open(Duration duration, Set<DeviceId> alreadyKnown) {
        if (!isOpen()) {
            joined.clear();
            failures.clear();
            arrived.clear();
            known.clear();
        }
        known.addAll(alreadyKnown);
        closesAt = clock.instant().plus(duration);
    }

    public synchronized void close() {
        closesAt = Instant.MIN;
    }

    public synchronized boolean isOpen() {
        return clock.instant().isBefore(closesAt);
    }

    /** A node announced itself; it counts as joining through this window if the window is open now. */
    public synchronized void announced(DeviceId device) {
        if (isOpen() && !known.contains(device)) {
            arrived.add(device);
        }
    }

    public synchronized void interviewed(DeviceId device) {
        if ((arrived.contains(device) || (isOpen() && !known.contains(device))) && !joined.contains(device)) {
            joined.add(device);
            failures.remove(device);
        }
    }

    public synchronized void failed(DeviceId device, String reason) {
        if (arrived.contains(device) || isOpen()) {
            failures.put(device, reason);
        }
    }

    public synchronized Map<DeviceId, String> failures() {
        return Map.copyOf(failures);
    }

    public synchronized PairingStatus status() {
        long left = isOpen() ? Math.max(1, Duration.between(clock.instant(), closesAt).toSeconds()) : 0;
        return new PairingStatus(binding, isOpen(), left, joined);
    }
}
