package io.hearth.serial.dsmr;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.StateKey;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.device.ReadOnlyDevice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DSMR P1 smart meter, the read-only device {@code dsmr-<gateway>}. Its keys are the ones its
 * telegrams carry (a single-phase meter has no {@code voltage_2}); each telegram reports only the
 * values that changed, since DSMR 5 meters send one every second. Runs on the link's reader thread.
 */
public final class DsmrMeter extends ReadOnlyDevice {

    private final DsmrFramer framer;
    private final Map<String, Double> last = new HashMap<>();
    private Set<String> described = Set.of();
    private volatile String identification;
    private volatile Instant lastTelegram;

    public DsmrMeter(String gateway, DeviceChannel devices) {
        super(DeviceId.dsmr(gateway), devices, "meter");
        this.framer = new DsmrFramer(counters, this::telegram);
    }

    @Override
    public void received(byte[] chunk) {
        framer.accept(chunk);
    }

    @Override
    protected void resetReader() {
        framer.reset();
    }

    private void telegram(String text) {
        DsmrTelegram telegram = DsmrTelegram.parse(text);
        MeterReading reading = MeterReading.of(telegram);
        if (reading.state().isEmpty()) {
            counters.count("telegramsWithoutValues");
            return;
        }
        identification = telegram.identification();
        lastTelegram = Instant.now();
        if (!reading.state().keySet().equals(described)) {
            described = Set.copyOf(reading.state().keySet());
            describe(description(reading.state().keySet()));
        }
        ObjectNode changed = JsonNodeFactory.instance.objectNode();
        reading.state().forEach((key, value) -> {
            if (!Objects.equals(last.put(key, value), value)) {
                changed.put(key, value);
            }
        });
        report(changed);
    }

    private DeviceDescription description(Set<String> keys) {
        List<Capability> capabilities = new ArrayList<>();
        for (String key : keys) {
            StateKey stateKey = StateKey.parse(key).orElseThrow();
            capabilities.add(stateKey.property().capability(stateKey.part()).withKey(key));
        }
        return new DeviceDescription("Smart meter", DeviceChannel.BINDING, capabilities);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("protocol", "dsmr");
        details.putAll(counters.snapshot());
        if (identification != null) {
            details.put("meter", identification);
        }
        if (lastTelegram != null) {
            details.put("lastTelegram", lastTelegram.toString());
        }
        return details;
    }
}
