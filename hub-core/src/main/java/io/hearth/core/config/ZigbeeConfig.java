package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Zigbee coordinator: which dongle driver, on which serial port, and the radio channel. */
public record ZigbeeConfig(Dongle dongle, String port, int baud, FlowControl flowControl, int channel) {

    public enum Dongle {
        @JsonProperty("simulated") SIMULATED,
        @JsonProperty("ember") EMBER,
        @JsonProperty("znp") ZNP,
        @JsonProperty("telegesis") TELEGESIS,
        @JsonProperty("xbee") XBEE,
        @JsonProperty("conbee") CONBEE,
        @JsonProperty("none") NONE;

        /** True for dongles attached through a serial port. */
        public boolean usesSerialPort() {
            return this != SIMULATED && this != NONE;
        }
    }

    public ZigbeeConfig {
        ConfigChecks.present(dongle, "dongle");
        ConfigChecks.present(flowControl, "flow-control");
        if (dongle.usesSerialPort()) {
            ConfigChecks.present(port, "port");
        }
        ConfigChecks.range(baud, "baud", 1200, 4_000_000);
        if (channel != 0) {
            ConfigChecks.range(channel, "channel", 11, 26);
        }
    }

    public static ZigbeeConfig defaults() {
        return new ZigbeeConfig(Dongle.SIMULATED, "/dev/ttyUSB0", 115_200, FlowControl.NONE, 0);
    }
}
