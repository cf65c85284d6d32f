package io.hearth.core.device;

import java.util.Optional;

/**
 * A key in a device's state: a vocabulary property plus, for the second and later parts of one
 * kind, a part number ({@code on}, {@code on_2}, {@code temperature_3}).
 */
public record StateKey(StateProperty property, int part) {

    public StateKey {
        if (part < 1) {
            throw new IllegalArgumentException("part numbers start at 1");
        }
    }

    public static StateKey of(StateProperty property, int part) {
        return new StateKey(property, part);
    }

    /** Reads a key such as {@code on_2}; empty when it is not in the vocabulary. */
    public static Optional<StateKey> parse(String key) {
        int underscore = key.lastIndexOf('_');
        if (underscore > 0) {
            String number = key.substring(underscore + 1);
            if (number.matches("[1-9][0-9]{0,3}")) {
                int part = Integer.parseInt(number);
                // "on_1" is not a key: the first part is written without a suffix.
                return part < 2 ? Optional.empty()
                        : StateProperty.byKey(key.substring(0, underscore)).map(p -> new StateKey(p, part));
            }
        }
        return StateProperty.byKey(key).map(p -> new StateKey(p, 1));
    }

    @Override
    public String toString() {
        return part == 1 ? property.key() : property.key() + "_" + part;
    }
}
