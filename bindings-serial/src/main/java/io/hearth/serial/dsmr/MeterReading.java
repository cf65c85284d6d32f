package io.hearth.serial.dsmr;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a telegram says in the state vocabulary.
 *
 * <ul>
 *   <li>{@code energy}, {@code energy_2}: imported kWh on tariff 1 and 2 (1-0:1.8.1, 1-0:1.8.2);
 *       {@code energy_3}, {@code energy_4}: exported kWh on tariff 1 and 2 (1-0:2.8.1, 1-0:2.8.2)</li>
 *   <li>{@code power}: net W drawn now, negative while exporting (1-0:1.7.0 minus 1-0:2.7.0, kW)</li>
 *   <li>{@code voltage}, {@code voltage_2}, {@code voltage_3}: L1 to L3 (1-0:32.7.0, 52.7.0, 72.7.0)</li>
 *   <li>{@code current}, {@code current_2}, {@code current_3}: L1 to L3 (1-0:31.7.0, 51.7.0, 71.7.0)</li>
 *   <li>{@code gas}: the gas meter's m³ (0-n:24.2.1, or Belgian 0-n:24.2.3)</li>
 * </ul>
 *
 * @param state the vocabulary values, in the order above, only those the meter sent
 */
public record MeterReading(Map<String, Double> state) {

    private static final String[][] DIRECT = {
            {"1-0:1.8.1", "energy", "kWh"}, {"1-0:1.8.2", "energy_2", "kWh"},
            {"1-0:2.8.1", "energy_3", "kWh"}, {"1-0:2.8.2", "energy_4", "kWh"},
            {"1-0:32.7.0", "voltage", "V"}, {"1-0:52.7.0", "voltage_2", "V"}, {"1-0:72.7.0", "voltage_3", "V"},
            {"1-0:31.7.0", "current", "A"}, {"1-0:51.7.0", "current_2", "A"}, {"1-0:71.7.0", "current_3", "A"},
    };

    public MeterReading {
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    public static MeterReading of(DsmrTelegram telegram) {
        Map<String, Double> state = new LinkedHashMap<>();
        for (String[] mapping : DIRECT) {
            Double value = quantity(telegram.last(mapping[0]), mapping[2]);
            if (value != null) {
                state.put(mapping[1], value);
            }
            if (mapping[1].equals("energy_4")) {
                Double drawn = quantity(telegram.last("1-0:1.7.0"), "kW");
                Double returned = quantity(telegram.last("1-0:2.7.0"), "kW");
                if (drawn != null) {
                    // kW with three decimals in the telegram: round away binary noise from the * 1000.
                    state.put("power", Math.round((drawn - (returned == null ? 0 : returned)) * 1000 * 1000) / 1000.0);
                }
            }
        }
        Double gas = null;
        for (String obis : telegram.objects().keySet()) {
            if (obis.matches("0-\\d:24\\.2\\.[13]")) {
                Double value = quantity(telegram.last(obis), "m3");
                gas = value != null ? value : gas;
            }
        }
        if (gas != null) {
            state.put("gas", gas);
        }
        return new MeterReading(state);
    }

    /** A value such as {@code 001234.567*kWh}, or null when it is missing, unreadable or in another unit. */
    static Double quantity(String value, String unit) {
        if (value == null) {
            return null;
        }
        int star = value.indexOf('*');
        if (star < 0 || !value.substring(star + 1).toLowerCase(Locale.ROOT).equals(unit.toLowerCase(Locale.ROOT))) {
            return null;
        }
        String number = value.substring(0, star);
        if (!number.matches("-?\\d{1,12}(\\.\\d{1,6})?")) {
            return null;
        }
        return Double.parseDouble(number);
    }
}
