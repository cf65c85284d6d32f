package io.hearth.core.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a device says about itself on {@link DeviceTopics#info}: a default name, the binding that
 * proxies it (null for devices that speak MQTT themselves) and the state keys it has. The shadow
 * service keeps it in the device registry; the homeowner's own name and room win over it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceDescription(String name, String binding, List<Capability> capabilities) {

    public DeviceDescription {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
