package io.hearth.serial.lines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.device.ReadOnlyDevice;
import io.hearth.serial.link.LineSplitter;
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
public final class LineDevice extends ReadOnlyDevice {

    private static final Logger LOG = LoggerFactory.getLogger(LineDevice.class);
    private static final int MAX_LINE = 1024;

    private final String name;
    private final LineDecoder decoder;
    private final LineSplitter splitter;
    private final Set<String> keys = new LinkedHashSet<>();

    public LineDevice(SerialGateway gateway, DeviceChannel devices, ObjectMapper json) {
        super(DeviceId.of(gateway.lineDevice()), devices, "sensor");
        this.name = gateway.lines().name() == null ? "Serial sensor " + gateway.id() : gateway.lines().name();
        this.decoder = new LineDecoder(gateway.lines(), json);
        this.splitter = new LineSplitter(MAX_LINE, this::line);
    }

    @Override
    public void received(byte[] chunk) {
        splitter.accept(chunk);
    }

    @Override
    protected void resetReader() {
        splitter.reset();
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
            describe(new DeviceDescription(name, DeviceChannel.BINDING, capabilities));
        }
        report(state);
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
}
