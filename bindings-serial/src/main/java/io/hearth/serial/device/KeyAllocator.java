package io.hearth.serial.device;

import io.hearth.core.device.StateKey;
import io.hearth.core.device.StateProperty;
import java.util.EnumMap;
import java.util.Map;

/**
 * Hands out state keys for the parts of one device in a stable order: the first part with a
 * property gets the plain key ({@code temperature}), later ones the suffixed keys
 * ({@code temperature_2}, {@code temperature_3}).
 */
public final class KeyAllocator {

    private final Map<StateProperty, Integer> used = new EnumMap<>(StateProperty.class);

    public StateKey next(StateProperty property) {
        int part = used.merge(property, 1, Integer::sum);
        return StateKey.of(property, part);
    }
}
