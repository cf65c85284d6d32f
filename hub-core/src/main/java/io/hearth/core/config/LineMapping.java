package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.StateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a {@code lines} gateway turns each received line into reported state of one device.
 *
 * <p>With {@code format: regex}, {@code pattern} is matched against the whole line and its named
 * groups carry the values; with {@code format: json}, each line is one JSON object. {@code keys}
 * maps a group or field name to a key of the state vocabulary; names that are vocabulary keys
 * themselves may be left out of it. Java group names cannot hold {@code _}, so a key such as
 * {@code temperature_2} is always reached through {@code keys}.
 *
 * @param device the device's id; defaults to {@code lines-<gateway id>} (set by the gateway)
 * @param name the device's default name
 */
public record LineMapping(Format format, String pattern, Map<String, String> keys, String device, String name) {

    /** Named groups: a letter followed by letters or digits, as java.util.regex allows them. */
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    public enum Format {
        @JsonProperty("regex") REGEX,
        @JsonProperty("json") JSON
    }

    public LineMapping {
        format = format == null ? (pattern == null ? Format.JSON : Format.REGEX) : format;
        keys = keys == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(keys));
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            if (entry.getValue() == null || StateKey.parse(entry.getValue()).isEmpty()) {
                throw new InvalidConfigException("keys." + entry.getKey(), "\"" + entry.getValue()
                        + "\" is not a key of the state vocabulary (temperature, humidity, power, on_2, ...)");
            }
        }
        if (format == Format.REGEX) {
            ConfigChecks.present(pattern, "pattern");
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidConfigException("pattern", "is not a valid regular expression: " + e.getDescription());
            }
            Matcher groups = GROUP.matcher(pattern);
            boolean mapped = false;
            while (groups.find()) {
                String group = groups.group(1);
                mapped |= keys.containsKey(group) || StateKey.parse(group).isPresent();
            }
            if (!mapped) {
                throw new InvalidConfigException("pattern", "has no named group that maps to a state key; "
                        + "write e.g. (?<temperature>-?[0-9.]+) or map a group under keys");
            }
        } else if (pattern != null) {
            throw new InvalidConfigException("pattern", "only applies with format: regex");
        }
        if (device != null && DeviceId.problem(device) != null) {
            throw new InvalidConfigException("device", DeviceId.problem(device));
        }
    }

    /** The state key a group or field name reports, or null when the name is not mapped. */
    public String keyFor(String name) {
        String mapped = keys.get(name);
        if (mapped != null) {
            return mapped;
        }
        return StateKey.parse(name).isPresent() ? name : null;
    }
}
