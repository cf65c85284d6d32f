package io.hearth.zigbee.availability;

import io.hearth.zigbee.device.ZigbeeDeviceProxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Decides whether devices are online from when they were last heard. Mains devices talk often
 * (reports, routing), so a long silence is suspicious: they get pinged first and go offline only
 * if the ping goes unanswered. Battery devices sleep for hours and cannot be pinged; they go
 * offline after a silence longer than their usual check-in period.
 */
public final class AvailabilityTracker {

    /**
     * @param mains silence after which a mains device is pinged
     * @param battery silence after which a battery device is offline
     * @param pingGrace how long a pinged device has to answer
     */
    public record Timeouts(Duration mains, Duration battery, Duration pingGrace) {

        public static Timeouts defaults() {
            return new Timeouts(Duration.ofMinutes(10), Duration.ofHours(25), Duration.ofSeconds(30));
        }
    }

    private final Clock clock;
    private final Timeouts timeouts;
    private final Consumer<ZigbeeDeviceProxy> ping;
    private final Map<ZigbeeDeviceProxy, Instant> pinged = new ConcurrentHashMap<>();

    public AvailabilityTracker(Clock clock, Timeouts timeouts, Consumer<ZigbeeDeviceProxy> ping) {
        this.clock = clock;
        this.timeouts = timeouts;
        this.ping = ping;
    }

    /** The device sent something: it is alive. */
    public void heard(ZigbeeDeviceProxy device) {
        device.seen(clock.instant());
        pinged.remove(device);
        if (!device.online()) {
            device.setOnline(true);
        }
    }

    /** Marks silent devices offline (pinging mains devices first). Call periodically. */
    public void check(Collection<ZigbeeDeviceProxy> devices) {
        Instant now = clock.instant();
        for (ZigbeeDeviceProxy device : devices) {
            Duration silence = Duration.between(device.lastSeen(), now);
            if (!device.online()) {
                continue;
            }
            if (!device.mains()) {
                if (silence.compareTo(timeouts.battery()) >= 0) {
                    device.setOnline(false);
                }
                continue;
            }
            if (silence.compareTo(timeouts.mains()) < 0) {
                continue;
            }
            Instant pingedAt = pinged.get(device);
            if (pingedAt == null) {
                pinged.put(device, now);
                ping.accept(device);
            } else if (Duration.between(pingedAt, now).compareTo(timeouts.pingGrace()) >= 0) {
                pinged.remove(device);
                device.setOnline(false);
            }
        }
    }

    public void forget(ZigbeeDeviceProxy device) {
        pinged.remove(device);
    }
}
