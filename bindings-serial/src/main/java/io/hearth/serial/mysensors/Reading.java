package io.hearth.serial.mysensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.hearth.core.device.StateProperty;
import io.hearth.core.device.ValueType;
import java.util.Locale;

/**
 * One value a MySensors child carries (a {@code V_} type) and the vocabulary property it is.
 *
 * @param inverted for booleans whose MySensors sense is the opposite of the vocabulary's
 *                 (a tripped door sensor is an open door: {@code contact} false)
 */
public record Reading(int valueType, StateProperty property, boolean inverted) {

    static final int V_TEMP = 0;
    static final int V_HUM = 1;
    static final int V_STATUS = 2;
    static final int V_PERCENTAGE = 3;
    static final int V_PRESSURE = 4;
    static final int V_TRIPPED = 16;
    static final int V_WATT = 17;
    static final int V_KWH = 18;
    static final int V_LEVEL = 37;
    static final int V_VOLTAGE = 38;
    static final int V_CURRENT = 39;

    static Reading of(int valueType, StateProperty property) {
        return new Reading(valueType, property, false);
    }

    static Reading ofInverted(int valueType, StateProperty property) {
        return new Reading(valueType, property, true);
    }

    /**
     * The payload as a state value.
     *
     * @throws IllegalArgumentException when the payload is not a value of this kind
     */
    public JsonNode decode(String payload) {
        String text = payload.strip();
        if (property.capability().type() == ValueType.BOOLEAN) {
            boolean value = switch (text) {
                case "1" -> true;
                case "0" -> false;
                default -> throw new IllegalArgumentException("\"" + text + "\" is not 0 or 1");
            };
            return BooleanNode.valueOf(value != inverted);
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number");
        }
        if (!Double.isFinite(value) || text.endsWith("d") || text.endsWith("f") || text.endsWith("D") || text.endsWith("F")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number");
        }
        if (value != Math.rint(value) || Math.abs(value) >= 1e15) {
            return DoubleNode.valueOf(value);
        }
        return Math.abs(value) <= Integer.MAX_VALUE ? IntNode.valueOf((int) value) : LongNode.valueOf((long) value);
    }

    /** The payload that sets a desired value, or null when the value is not one this reading takes. */
    public String encode(JsonNode value) {
        if (property.capability().type() == ValueType.BOOLEAN) {
            return value.isBoolean() ? (value.booleanValue() != inverted ? "1" : "0") : null;
        }
        if (!value.isNumber()) {
            return null;
        }
        if (property.capability().problemWith(value) != null) {
            return null;
        }
        double number = value.asDouble();
        return valueType == V_PERCENTAGE ? Long.toString(Math.round(number)) : plain(number);
    }

    private static String plain(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : String.format(Locale.ROOT, "%s", number);
    }
}
