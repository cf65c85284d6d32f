package io.hearth.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import java.io.IOException;

/**
 * A binding's pairing status as JSON, the same for {@code /api/v1/pairing}, {@code /api/v1/bindings}
 * and pairing events: {@code {"binding","open","secondsLeft","joined":[ids],"failed":[{"id","reason"}]}}. Written from the record
 * itself, so whatever a binding adds to it (say, why a device could not be paired) reaches the page.
 */
public final class PairingJson {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(DeviceId.class, new JsonSerializer<>() {
                @Override
                public void serialize(DeviceId id, JsonGenerator out, SerializerProvider provider) throws IOException {
                    out.writeString(id.value());
                }
            })
            .addKeySerializer(DeviceId.class, new JsonSerializer<>() {
                @Override
                public void serialize(DeviceId id, JsonGenerator out, SerializerProvider provider) throws IOException {
                    out.writeFieldName(id.value());
                }
            }));

    private PairingJson() {
    }

    public static ObjectNode of(PairingStatus status) {
        return JSON.valueToTree(status);
    }
}
