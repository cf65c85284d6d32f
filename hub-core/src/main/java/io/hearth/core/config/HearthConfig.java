package io.hearth.core.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole configuration of a hub, as the {@code hearth:} section of {@code hearth.yml}.
 * Every record checks its own values, so an instance is always one the hub can run with.
 */
public record HearthConfig(Path dataDir, HttpConfig http, MqttConfig mqtt, ZigbeeConfig zigbee,
                           SerialConfig serial, CloudConfig cloud, HistoryConfig history) {

    public HearthConfig {
        ConfigChecks.present(dataDir, "data-dir");
        ConfigChecks.present(http, "http");
        ConfigChecks.present(mqtt, "mqtt");
        ConfigChecks.present(zigbee, "zigbee");
        ConfigChecks.present(serial, "serial");
        ConfigChecks.present(cloud, "cloud");
        ConfigChecks.present(history, "history");
        requireDistinctPorts(http, mqtt);
    }

    public static HearthConfig defaults() {
        return new HearthConfig(Path.of("data"), HttpConfig.defaults(), MqttConfig.defaults(),
                ZigbeeConfig.defaults(), SerialConfig.defaults(), CloudConfig.defaults(), HistoryConfig.defaults());
    }

    public HearthConfig withDataDir(Path dir) {
        return new HearthConfig(dir, http, mqtt, zigbee, serial, cloud, history);
    }

    public HearthConfig withHttp(HttpConfig value) {
        return new HearthConfig(dataDir, value, mqtt, zigbee, serial, cloud, history);
    }

    public HearthConfig withMqtt(MqttConfig value) {
        return new HearthConfig(dataDir, http, value, zigbee, serial, cloud, history);
    }

    public HearthConfig withHistory(HistoryConfig value) {
        return new HearthConfig(dataDir, http, mqtt, zigbee, serial, cloud, value);
    }

    private static void requireDistinctPorts(HttpConfig http, MqttConfig mqtt) {
        Map<Integer, String> owners = new HashMap<>();
        claim(owners, http.port(), "http.port");
        claim(owners, mqtt.port(), "mqtt.port");
        claim(owners, mqtt.tlsPort(), "mqtt.tls-port");
        claim(owners, mqtt.websocketPort(), "mqtt.websocket-port");
    }

    private static void claim(Map<Integer, String> owners, int port, String key) {
        if (port == 0) {
            return;
        }
        String owner = owners.putIfAbsent(port, key);
        if (owner != null) {
            throw new InvalidConfigException(key, "port " + port + " is already used by hearth." + owner);
        }
    }
}
