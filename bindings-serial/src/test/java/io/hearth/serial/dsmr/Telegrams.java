package io.hearth.serial.dsmr;

/** DSMR 5 telegrams recorded for the project's tests (a three-phase meter with a gas meter on channel 1). */
public final class Telegrams {

    /** The body from '/' to '!'; its CRC-16 is {@link #THREE_PHASE_CRC}. */
    public static final String THREE_PHASE_BODY = String.join("\r\n",
            "/HRT5\\2ME-GARAGE-01",
            "",
            "1-3:0.2.8(50)",
            "0-0:1.0.0(261122153000W)",
            "0-0:96.1.1(4E6F74415265616C4D65746572)",
            "1-0:1.8.1(004512.331*kWh)",
            "1-0:1.8.2(003987.052*kWh)",
            "1-0:2.8.1(000210.400*kWh)",
            "1-0:2.8.2(000533.917*kWh)",
            "0-0:96.14.0(0002)",
            "1-0:1.7.0(01.193*kW)",
            "1-0:2.7.0(00.000*kW)",
            "1-0:32.7.0(229.8*V)",
            "1-0:52.7.0(231.4*V)",
            "1-0:72.7.0(230.1*V)",
            "1-0:31.7.0(003*A)",
            "1-0:51.7.0(001*A)",
            "1-0:71.7.0(001*A)",
            "0-1:24.1.0(003)",
            "0-1:24.2.1(261122152500W)(02871.644*m3)",
            "!");
    public static final String THREE_PHASE_CRC = "399B";
    public static final String THREE_PHASE = THREE_PHASE_BODY + THREE_PHASE_CRC + "\r\n";

    /** The same telegram with one digit of the tariff 1 reading flipped in transit. */
    public static final String CORRUPT = THREE_PHASE.replace("004512.331", "004512.381");

    private Telegrams() {
    }
}
