package io.hearth.serial.lines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.config.LineMapping;
import io.hearth.core.device.Capability;
import io.hearth.core.device.StateKey;
import io.hearth.core.device.ValueType;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one line of a hobby sensor into reported state, following the gateway's {@link LineMapping}.
 * A line that does not match, or a value that is not of its key's type or range, is refused with a
 * reason; the values of a line are taken all or nothing.
 */
public final class LineDecoder {

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final LineMapping mapping;
    private final Pattern pattern;
    private final ObjectMapper json;

    public LineDecoder(LineMapping mapping, ObjectMapper json) {
        this.mapping = mapping;
        this.pattern = mapping.format() == LineMapping.Format.REGEX ? Pattern.compile(mapping.pattern()) : null;
        this.json = json;
    }

    /** Why a line was refused; the name is the counter it is counted under. */
    public static final class Refused extends Exception {
        private final String counter;

        Refused(String counter, String message) {
            super(message, null, false, false);
            this.counter = counter;
        }

        public String counter() {
            return counter;
        }
    }

    public ObjectNode decode(String line) throws Refused {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        if (pattern != null) {
            Matcher matcher = pattern.matcher(line);
            if (!matcher.matches()) {
                throw new Refused("unmatchedLines", "does not match the pattern");
            }
            Matcher groups = GROUP_NAME.matcher(mapping.pattern());
            while (groups.find()) {
                String group = groups.group(1);
                String key = mapping.keyFor(group);
                String text = matcher.group(group);
                if (key != null && text != null) {
                    state.set(key, value(key, text.strip()));
                }
            }
        } else {
            JsonNode object;
            try {
                object = json.readTree(line);
            } catch (IOException e) {
                throw new Refused("unmatchedLines", "is not JSON");
            }
            if (object == null || !object.isObject()) {
                throw new Refused("unmatchedLines", "is not a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String key = mapping.keyFor(field.getKey());
                if (key != null) {
                    JsonNode raw = field.getValue();
                    state.set(key, raw.isTextual() ? value(key, raw.asText().strip()) : checked(key, raw));
                }
            }
        }
        if (state.isEmpty()) {
            throw new Refused("unmatchedLines", "carries no mapped value");
        }
        return state;
    }

    private static JsonNode value(String key, String text) throws Refused {
        Capability capability = capability(key);
        if (capability.type() == ValueType.BOOLEAN) {
            return checked(key, switch (text.toLowerCase(Locale.ROOT)) {
                case "1", "true", "on", "yes" -> BooleanNode.TRUE;
                case "0", "false", "off", "no" -> BooleanNode.FALSE;
                default -> throw new Refused("badValues", key + ": \"" + text + "\" is not on or off");
            });
        }
        try {
            double number = Double.parseDouble(text);
            if (!Double.isFinite(number) || !text.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                throw new NumberFormatException();
            }
            return checked(key, DoubleNode.valueOf(number));
        } catch (NumberFormatException e) {
            throw new Refused("badValues", key + ": \"" + text + "\" is not a number");
        }
    }

    private static JsonNode checked(String key, JsonNode value) throws Refused {
        String problem = capability(key).problemWith(value);
        if (problem != null) {
            throw new Refused("badValues", problem);
        }
        return value;
    }

    static Capability capability(String key) {
        StateKey stateKey = StateKey.parse(key).orElseThrow();
        return stateKey.property().capability(stateKey.part());
    }
}
