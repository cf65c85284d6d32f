package io.hearth.web.emulator;

import io.hearth.core.binding.Binding;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The control side of the emulated Zigbee network: a pairing window with a countdown, and whoever
 * plays the network ({@link DeviceEmulator}) told when it opens so a device can join. Present only
 * when the system property {@value #ENABLED} is true, so other tests see the hub's real bindings alone.
 */
@Singleton
@Requires(property = EmulatedZigbeeBinding.ENABLED, value = "true")
public final class EmulatedZigbeeBinding implements Binding {

    public static final String ENABLED = "hearth.test.emulated-zigbee";

    private final List<DeviceId> joined = new CopyOnWriteArrayList<>();
    private volatile long closesAt;
    private volatile Consumer<EmulatedZigbeeBinding> onOpen = binding -> { };

    @Override
    public String id() {
        return "zigbee";
    }

    /** What the network does when a window opens, e.g. let a device join after a moment. */
    public void whenPairingOpens(Consumer<EmulatedZigbeeBinding> action) {
        onOpen = action;
    }

    /** Records that {@code device} joined through the open window. */
    public void joined(DeviceId device) {
        joined.add(device);
    }

    @Override
    public synchronized PairingStatus startPairing(Duration duration) {
        joined.clear();
        closesAt = System.currentTimeMillis() + duration.toMillis();
        onOpen.accept(this);
        return pairingStatus();
    }

    @Override
    public synchronized PairingStatus stopPairing() {
        closesAt = 0;
        return pairingStatus();
    }

    @Override
    public PairingStatus pairingStatus() {
        long left = Math.max(0, closesAt - System.currentTimeMillis());
        return new PairingStatus(id(), left > 0, (left + 999) / 1000, joined);
    }

    @Override
    public void remove(DeviceId device) {
        joined.remove(device);
    }

    @Override
    public Health health() {
        return Health.up(java.util.Map.of());
    }
}
