package io.hearth.serial.lines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.BindingException;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.serial.Counters;
import io.hearth.serial.GatewayProtocol;
import io.hearth.serial.device.Delta;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.link.LineSplitter;
import io.hearth.serial.link.SerialLink;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hobby sensor that prints readings as text lines, as one read-only device. Its capabilities are
 * the keys its lines have carried so far, so a JSON sensor that adds a field later gains the key.
 * Runs on the link's reader thread.
 */
public final class LineDevice implements GatewayProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(LineDevice.class);
    private static final int MAX_LINE = 1024;

    private final DeviceId device;
    private final String name;
    private final DeviceChannel devices;
    private final LineDecoder decoder;
    private final Counters counters = new Counters();
    private final LineSplitter splitter;
    private final Set<String> keys = new LinkedHashSet<>();
    private boolean online;

    public LineDevice(SerialGateway gateway, DeviceChannel devices, ObjectMapper json) {
        this.device = DeviceId.of(gateway.lineDevice());
        this.name = gateway.lines().name() == null ? "Serial sensor " + gateway.id() : gateway.lines().name();
        this.devices = devices;
        this.decoder = new LineDecoder(gateway.lines(), json);
        this.splitter = new LineSplitter(MAX_LINE, this::line);
    }

    @Override
    public void attach(SerialLink link) {
        // Read-only: nothing is written to the sensor.
    }

    @Override
    public void connected() {
    }

    @Override
    public void received(byte[] chunk) {
        splitter.accept(chunk);
    }

    @Override
    public void disconnected(String reason) {
        splitter.reset();
        if (online) {
            online = false;
            devices.availability(device, false);
        }
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        ObjectNode state;
        try {
            state = decoder.decode(line);
        } catch (LineDecoder.Refused refused) {
            counters.count(refused.counter());
            LOG.debug("{} refused a line ({}): {}", device, refused.getMessage(), line);
            return;
        }
        counters.count("lines");
        boolean grew = false;
        for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            grew |= keys.add(it.next());
        }
        if (grew) {
            List<Capability> capabilities = new ArrayList<>();
            keys.forEach(key -> capabilities.add(LineDecoder.capability(key)));
            devices.describe(device, new DeviceDescription(name, DeviceChannel.BINDING, capabilities));
        }
        if (!online) {
            online = true;
            devices.availability(device, true);
        }
        devices.report(device, state);
    }

    @Override
    public boolean owns(DeviceId candidate) {
        return device.equals(candidate);
    }

    @Override
    public void handle(Delta delta) {
        counters.count("refusedCommands");
    }

    @Override
    public void remove(DeviceId candidate) throws BindingException {
        throw new BindingException(device + " is the sensor on a gateway in the configuration; remove the gateway "
                + "from hearth.serial.gateways instead");
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("protocol", "lines");
        details.put("device", device.value());
        details.putAll(counters.snapshot());
        details.put("overlongLines", splitter.overlong());
        return details;
    }

    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
