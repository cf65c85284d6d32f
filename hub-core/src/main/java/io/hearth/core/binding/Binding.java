package io.hearth.core.binding;

import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import java.time.Duration;

/**
 * The control side of a binding (Zigbee, serial): the few operations that are not device state.
 * Device state itself never goes through here; a binding publishes and receives it over the
 * {@link io.hearth.core.bus.Bus} like any external device.
 */
public interface Binding {

    /** The binding's id in the API and in device records: {@code zigbee}, {@code serial}. */
    String id();

    /** Lets new devices join for {@code duration}; calling it again while open restarts the window. */
    PairingStatus startPairing(Duration duration) throws BindingException;

    PairingStatus stopPairing();

    PairingStatus pairingStatus();

    /** Makes the device leave (where the radio allows) and forgets it. */
    void remove(DeviceId device) throws BindingException;

    Health health();
}
