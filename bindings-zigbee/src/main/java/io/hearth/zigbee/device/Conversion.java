package io.hearth.zigbee.device;

/**
 * How a raw ZCL attribute value becomes a vocabulary value, and back for writable keys.
 * Values that the ZCL marks as "invalid" or "unknown" convert to null and are not reported.
 */
public enum Conversion {
    BOOLEAN {
        @Override
        Object toState(Object raw, double scale) {
            return raw instanceof Boolean b ? b : raw instanceof Number n ? n.intValue() != 0 : null;
        }

        @Override
        Object toZcl(Object state) {
            return state;
        }
    },
    /** Current level 0..254 (255 is invalid) as a whole percentage. */
    LEVEL_PERCENT {
        @Override
        Object toState(Object raw, double scale) {
            int level = ((Number) raw).intValue();
            return level > 254 ? null : (int) Math.round(level * 100.0 / 254);
        }

        @Override
        Object toZcl(Object state) {
            double percent = ((Number) state).doubleValue();
            return (int) Math.round(Math.max(0, Math.min(100, percent)) * 254 / 100);
        }
    },
    INTEGER {
        @Override
        Object toState(Object raw, double scale) {
            return scaled(((Number) raw).doubleValue() * scale);
        }

        @Override
        Object toZcl(Object state) {
            return (int) Math.round(((Number) state).doubleValue());
        }
    },
    /** Temperature and humidity in hundredths; 0x8000 / 0xFFFF mean "no reading". */
    HUNDREDTHS {
        @Override
        Object toState(Object raw, double scale) {
            int value = ((Number) raw).intValue();
            return value == -32768 || value == 0xFFFF ? null : value / 100.0;
        }
    },
    /** Measured value = 10000 × log10(lux) + 1. */
    LOG_LUX {
        @Override
        Object toState(Object raw, double scale) {
            int value = ((Number) raw).intValue();
            if (value == 0xFFFF) {
                return null;
            }
            return value == 0 ? 0 : scaled(Math.pow(10, (value - 1) / 10_000.0));
        }
    },
    BIT_0 {
        @Override
        Object toState(Object raw, double scale) {
            return (((Number) raw).intValue() & 1) != 0;
        }
    },
    /** Battery percentage remaining is in half percent; 0xFF is "unknown". */
    HALF_PERCENT {
        @Override
        Object toState(Object raw, double scale) {
            int value = ((Number) raw).intValue();
            return value == 0xFF ? null : scaled(Math.min(100.0, value / 2.0));
        }
    };

    /** The vocabulary value of a raw reading, or null when the reading says "unknown". */
    abstract Object toState(Object raw, double scale);

    /** The raw value to send for a desired vocabulary value; only for writable keys. */
    Object toZcl(Object state) {
        throw new UnsupportedOperationException(name() + " is read-only");
    }

    /** Whole numbers stay whole; others keep three decimals, enough for every unit used. */
    private static Number scaled(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (long) value;
        }
        return Math.round(value * 1000) / 1000.0;
    }
}
