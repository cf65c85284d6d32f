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

    /**
     * How long a node that joined may take to describe itself before the homeowner is told. Sleepy
     * devices answer slowly, but a minute of silence right after joining means it will not finish.
     */
    public static final Duration DESCRIBE_WITHIN = Duration.ofSeconds(60);
    static final String SILENT = "it joined the network but stopped answering before it said what it is. "
            + "Keep it close to the hub, wake it up (press its button), then reset it and pair it again.";

    private final String binding;
    private final Clock clock;
    private Instant closesAt = Instant.MIN;
    private final Set<DeviceId> known = new HashSet<>();
    /** Nodes that announced themselves through this window, with when. */
    private final Map<DeviceId, Instant> arrived = new LinkedHashMap<>();
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
            arrived.putIfAbsent(device, clock.instant());
        }
    }

    public synchronized void interviewed(DeviceId device) {
        if ((arrived.containsKey(device) || (isOpen() && !known.contains(device))) && !joined.contains(device)) {
            joined.add(device);
            failures.remove(device);
        }
    }

    /** The node joined but cannot be used; {@code reason} is shown to the homeowner as it is. */
    public synchronized void failed(DeviceId device, String reason) {
        if (arrived.containsKey(device) || isOpen()) {
            failures.put(device, reason);
        }
    }

    /** Failures of the current or last window, including nodes that joined and never described themselves. */
    public synchronized Map<DeviceId, String> failures() {
        Map<DeviceId, String> all = new LinkedHashMap<>();
        Instant now = clock.instant();
        arrived.forEach((device, at) -> {
            if (failures.containsKey(device)) {
                all.put(device, failures.get(device));
            } else if (!joined.contains(device) && !Duration.between(at, now).minus(DESCRIBE_WITHIN).isNegative()) {
                all.put(device, SILENT);
            }
        });
        failures.forEach(all::putIfAbsent);
        return all;
    }

    public synchronized PairingStatus status() {
        long left = isOpen() ? Math.max(1, Duration.between(clock.instant(), closesAt).toSeconds()) : 0;
        List<PairingStatus.Failure> failed = new ArrayList<>();
        failures().forEach((device, reason) -> failed.add(new PairingStatus.Failure(device, reason)));
        return new PairingStatus(binding, isOpen(), left, joined, failed);
    }
}
