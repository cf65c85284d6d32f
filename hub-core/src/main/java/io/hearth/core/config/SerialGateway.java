package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One serial gateway. Only {@code id}, {@code protocol} and {@code port} are required; the line
 * settings default to 115200 8N1 without flow control, which fits most USB gateways. A gateway of
 * protocol {@code lines} also needs {@code lines}, the mapping from its lines to device state.
 *
 * @param offlineAfterMinutes MySensors only: how long a node may stay silent before it counts as
 *     offline (default {@value #DEFAULT_OFFLINE_AFTER_MINUTES}; nodes that report rarely should send heartbeats)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SerialGateway(String id, Protocol protocol, String port, Integer baud, Integer dataBits,
                            Parity parity, Integer stopBits, FlowControl flowControl, LineMapping lines,
                            Integer offlineAfterMinutes) {

    public static final int DEFAULT_OFFLINE_AFTER_MINUTES = 60;

    /** Gateway ids become part of device ids ({@code mysensors-<id>-<node>}), so they stay short and plain. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

    public enum Protocol {
        @JsonProperty("mysensors") MYSENSORS,
        @JsonProperty("dsmr") DSMR,
        @JsonProperty("lines") LINES
    }

    public enum Parity {
        @JsonProperty("none") NONE,
        @JsonProperty("even") EVEN,
        @JsonProperty("odd") ODD,
        @JsonProperty("mark") MARK,
        @JsonProperty("space") SPACE
    }

    @JsonCreator
    public SerialGateway {
        ConfigChecks.present(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new InvalidConfigException("id", "\"" + id
                    + "\" must be 1 to 32 lowercase letters, digits or _, starting with a letter or digit");
        }
        ConfigChecks.present(protocol, "protocol");
        ConfigChecks.present(port, "port");
        baud = ConfigChecks.range(baud == null ? 115_200 : baud, "baud", 300, 4_000_000);
        dataBits = ConfigChecks.range(dataBits == null ? 8 : dataBits, "data-bits", 5, 8);
        parity = parity == null ? Parity.NONE : parity;
        stopBits = ConfigChecks.oneOf(stopBits == null ? 1 : stopBits, "stop-bits", List.of(1, 2));
        flowControl = flowControl == null ? FlowControl.NONE : flowControl;
        if (protocol == Protocol.LINES && lines == null) {
            throw new InvalidConfigException("lines", "must be set for protocol lines, e.g. "
                    + "{ format: regex, pattern: \"T=(?<temperature>-?[0-9.]+)\" }");
        }
        if (protocol != Protocol.LINES && lines != null) {
            throw new InvalidConfigException("lines", "only applies to gateways of protocol lines");
        }
        if (protocol == Protocol.MYSENSORS) {
            // Up to a week: the longest a sleeping node might sensibly go between heartbeats.
            offlineAfterMinutes = ConfigChecks.range(offlineAfterMinutes == null ? DEFAULT_OFFLINE_AFTER_MINUTES
                    : offlineAfterMinutes, "offline-after-minutes", 1, 7 * 24 * 60);
        } else if (offlineAfterMinutes != null) {
            throw new InvalidConfigException("offline-after-minutes", "only applies to gateways of protocol mysensors");
        }
    }

    /** A gateway with the default silence before its nodes count as offline. */
    public SerialGateway(String id, Protocol protocol, String port, Integer baud, Integer dataBits,
                         Parity parity, Integer stopBits, FlowControl flowControl, LineMapping lines) {
        this(id, protocol, port, baud, dataBits, parity, stopBits, flowControl, lines, null);
    }

    /** A MySensors or DSMR gateway, which needs no line mapping. */
    public SerialGateway(String id, Protocol protocol, String port, Integer baud, Integer dataBits,
                         Parity parity, Integer stopBits, FlowControl flowControl) {
        this(id, protocol, port, baud, dataBits, parity, stopBits, flowControl, null, null);
    }

    /** The id of the device a {@code lines} gateway reports as, {@code lines-<id>} unless configured. */
    @JsonIgnore
    public String lineDevice() {
        return lines == null || lines.device() == null ? "lines-" + id : lines.device();
    }
}
