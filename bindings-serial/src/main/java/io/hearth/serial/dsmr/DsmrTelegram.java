package io.hearth.serial.dsmr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A P1 telegram's content: the meter's identification line and its OBIS objects, each with the
 * values in its brackets ({@code 0-1:24.2.1(230101120000W)(00123.456*m3)} has two).
 */
public record DsmrTelegram(String identification, Map<String, List<String>> objects) {

    private static final Pattern OBJECT = Pattern.compile("(\\d{1,3}-\\d{1,3}:\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})((?:\\([^()]*\\))+)");
    private static final Pattern VALUE = Pattern.compile("\\(([^()]*)\\)");

    public DsmrTelegram {
        objects = Map.copyOf(objects);
    }

    /** Reads a telegram's text from {@code /} to {@code !}; lines that are not OBIS objects are skipped. */
    public static DsmrTelegram parse(String text) {
        String[] lines = text.split("\r?\n");
        String identification = lines[0].startsWith("/") ? lines[0].substring(1).strip() : "";
        Map<String, List<String>> objects = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher object = OBJECT.matcher(lines[i].strip());
            if (!object.matches()) {
                continue;
            }
            List<String> values = new ArrayList<>();
            Matcher value = VALUE.matcher(object.group(2));
            while (value.find()) {
                values.add(value.group(1));
            }
            objects.put(object.group(1), List.copyOf(values));
        }
        return new DsmrTelegram(identification, objects);
    }

    /** The object's last bracketed value, or null when the telegram does not have the object. */
    public String last(String obis) {
        List<String> values = objects.get(obis);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
