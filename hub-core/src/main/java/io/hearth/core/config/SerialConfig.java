package io.hearth.core.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The serial gateways the serial binding opens. */
public record SerialConfig(List<SerialGateway> gateways) {

    public SerialConfig {
        gateways = ConfigChecks.list(gateways, "gateways");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < gateways.size(); i++) {
            if (!ids.add(gateways.get(i).id())) {
                throw new InvalidConfigException("gateways[" + i + "].id",
                        "\"" + gateways.get(i).id() + "\" is used by two gateways; each needs its own id");
            }
        }
    }

    public static SerialConfig defaults() {
        return new SerialConfig(List.of());
    }
}
