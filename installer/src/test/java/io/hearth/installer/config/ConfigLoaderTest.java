package io.hearth.installer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.config.AclRule;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.LineMapping;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.config.ZigbeeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> props = new HashMap<>();
    private Path dataDir;

    @BeforeEach
    void unrelatedVariablesAreAround() {
        env.put("PATH", "/usr/bin");
        props.put("java.version", "17");
        dataDir = dir.resolve("data");
    }

    private HearthConfig load(Path configFile) throws ConfigException {
        return loader.load(new ConfigSources(dataDir, configFile, env, props));
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("hearth.yml"), yaml);
    }

    @Test
    void withNoSourcesTheDefaultsApply() throws Exception {
        assertThat(load(null)).isEqualTo(HearthConfig.defaults().withDataDir(dataDir));
    }

    @Test
    void theShippedConfigurationFileDescribesTheDefaults() throws Exception {
        Path shipped = Path.of("src/main/dist/hearth.yml");
        assertThat(load(shipped)).isEqualTo(load(null));
        // Every setting appears in it, commented, so the file documents all keys.
        String text = Files.readString(shipped);
        for (String key : new String[] {"port", "tls-port", "websocket-port", "allow-anonymous", "max-keep-alive",
                "max-packet-size", "receive-maximum", "max-connections", "connect-rate-limit", "max-queued-messages", "max-qos0-backlog",
                "max-retained-per-device", "max-retained-bytes-per-device", "acl", "dongle", "baud", "flow-control",
                "channel", "gateways", "enabled", "url", "thing-name", "mode", "username", "password",
                "client-cert", "client-key", "ca-file", "outbox-limit", "topic-root", "data-dir"}) {
            assertThat(text).contains("# " + key + ":");
        }
    }

    @Test
    void theCloudOutboxLimitIsASettingWithABoundedRange() throws Exception {
        assertThat(load(null).cloud().outboxLimit()).isEqualTo(10_000);
        assertThat(load(file("hearth:\n  cloud:\n    outbox-limit: 50\n")).cloud().outboxLimit()).isEqualTo(50);
        assertThatThrownBy(() -> load(file("hearth:\n  cloud:\n    outbox-limit: 0\n")))
                .hasMessageContaining("outbox-limit");
    }

    @Test
    void precedenceIsOptionThenPropertyThenEnvironmentThenFileThenDefault() throws Exception {
        Path config = file("""
                hearth:
                  data-dir: /from/file
                  http: { port: 8001 }
                  mqtt: { port: 1001, tls-port: 2001, websocket-port: 3001 }
                """);
        env.put("HEARTH_MQTT_PORT", "1002");
        env.put("HEARTH_MQTT_TLS_PORT", "2002");
        props.put("hearth.mqtt.port", "1003");

        HearthConfig loaded = load(config);

        assertThat(loaded.dataDir()).isEqualTo(dataDir);
        assertThat(loaded.http().port()).isEqualTo(8001);
        assertThat(loaded.mqtt().port()).isEqualTo(1003);
        assertThat(loaded.mqtt().tlsPort()).isEqualTo(2002);
        assertThat(loaded.mqtt().websocketPort()).isEqualTo(3001);
        assertThat(loaded.mqtt().maxKeepAlive()).isEqualTo(1200);

        dataDir = null;
        assertThat(load(config).dataDir()).isEqualTo(Path.of("/from/file"));
        env.put("HEARTH_DATA_DIR", "/from/env");
        assertThat(load(config).dataDir()).isEqualTo(Path.of("/from/env"));
    }

    @Test
    void theDataDirsOwnFileIsReadWhenNoConfigIsGiven() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("hearth.yml"), "hearth:\n  zigbee:\n    dongle: none\n");
        assertThat(load(null).zigbee().dongle()).isEqualTo(ZigbeeConfig.Dongle.NONE);
    }

    @Test
    void theDataDirsOwnFileCannotMoveTheDataDir() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("hearth.yml"), "hearth:\n  data-dir: /elsewhere\n");
        assertThatThrownBy(() -> load(null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("hearth.data-dir: cannot be set in the data directory's own hearth.yml");
    }

    @Test
    void anUnknownKeyInTheFileIsNamedWithASuggestion() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    prot: 1884\n");
        assertThatThrownBy(() -> load(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("hearth.mqtt.prot"))
                .hasMessage("hearth.mqtt.prot: is not a Hearth setting; did you mean port? (from " + config + ")");
    }

    @Test
    void anUnknownTopLevelKeyIsRefused() throws Exception {
        Path config = file("mqtt:\n  port: 1884\n");
        assertThatThrownBy(() -> load(config)).hasMessageStartingWith("mqtt: is not a Hearth setting; all settings go under 'hearth:'");
    }

    @Test
    void anUnknownKeyInsideAListEntryIsNamedWithItsPosition() throws Exception {
        Path config = file("""
                hearth:
                  serial:
                    gateways:
                      - { id: ms1, protocol: mysensors, port: /dev/ttyUSB1 }
                      - { id: ms2, protocol: mysensors, port: /dev/ttyUSB2, speed: 9600 }
                """);
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.serial.gateways[1].speed"));
    }

    @Test
    void anUnknownEnvironmentVariableIsNamed() {
        env.put("HEARTH_MQTT_PROT", "1884");
        assertThatThrownBy(() -> load(null)).hasMessage(
                "HEARTH_MQTT_PROT: is not a Hearth setting; did you mean HEARTH_MQTT_PORT? (from the environment)");
    }

    @Test
    void launcherVariablesAreNotSettings() throws Exception {
        env.put("HEARTH_JAVA_OPTS", "-Xmx64m");
        assertThat(load(null).http().port()).isEqualTo(8080);
    }

    @Test
    void anUnknownSystemPropertyIsNamed() {
        props.put("hearth.http.prot", "1");
        assertThatThrownBy(() -> load(null)).hasMessageStartingWith("hearth.http.prot: is not a Hearth setting");
    }

    @Test
    void anInvalidValueIsNamedWithWhereItCameFrom() throws Exception {
        env.put("HEARTH_MQTT_PORT", "abc");
        assertThatThrownBy(() -> load(null))
                .hasMessage("hearth.mqtt.port: \"abc\" is not a whole number (from HEARTH_MQTT_PORT)");
        env.clear();
        Path config = file("hearth:\n  mqtt:\n    max-keep-alive: 0\n");
        assertThatThrownBy(() -> load(config))
                .hasMessage("hearth.mqtt.max-keep-alive: 0 is out of range; use 1 to 65535 (from " + config + ")");
    }

    @Test
    void theSessionQueueQuotaIsSettableAndBounded() throws Exception {
        env.put("HEARTH_MQTT_MAX_QUEUED_MESSAGES", "50000");
        assertThat(load(null).mqtt().maxQueuedMessages()).isEqualTo(50_000);
        env.clear();
        Path config = file("hearth:\n  mqtt:\n    max-queued-messages: 0\n");
        assertThatThrownBy(() -> load(config))
                .hasMessage("hearth.mqtt.max-queued-messages: 0 is out of range; use 1 to 1000000 (from " + config + ")");
    }

    @Test
    void aNumberTooLargeForItsKeyIsNamed() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    port: 99999999999\n");
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.mqtt.port"));
    }

    @Test
    void anEmptyListEntryIsNamed() throws Exception {
        Path config = file("hearth:\n  serial:\n    gateways:\n      -\n");
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.serial.gateways[0]"));
    }

    @Test
    void aKeyGivenTwiceIsRefused() throws Exception {
        Path config = file("hearth:\n  http:\n    port: 8081\n    port: 8082\n");
        assertThatThrownBy(() -> load(config)).hasMessageContaining("Duplicate field 'port'");
    }

    @Test
    void theBuildsTestSwitchIsNotASetting() throws Exception {
        props.put("hearth.e2e.required", "true");
        assertThat(load(null).http().port()).isEqualTo(8080);
    }

    @Test
    void fractionsAreNotWholeNumbers() throws Exception {
        Path config = file("hearth:\n  http:\n    port: 8080.5\n");
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.http.port"));
    }

    @Test
    void aWrongChoiceListsTheAllowedOnes() throws Exception {
        props.put("hearth.zigbee.dongle", "cc2531");
        assertThatThrownBy(() -> load(null)).hasMessage("hearth.zigbee.dongle: \"cc2531\" is not one of "
                + "simulated, ember, znp, telegesis, xbee, conbee, none (from -Dhearth.zigbee.dongle)");
    }

    @Test
    void aBooleanMustBeTrueOrFalse() {
        env.put("HEARTH_MQTT_ALLOW_ANONYMOUS", "yes");
        assertThatThrownBy(() -> load(null)).hasMessage(
                "hearth.mqtt.allow-anonymous: \"yes\" is not true or false (from HEARTH_MQTT_ALLOW_ANONYMOUS)");
    }

    @Test
    void anEmptyValueIsRefused() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    port:\n");
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.mqtt.port"));
    }

    @Test
    void aSectionWithEverythingCommentedOutKeepsItsDefaults() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    # port: 1884\n  serial:\n    gateways:\n");
        assertThat(load(config)).isEqualTo(HearthConfig.defaults().withDataDir(dataDir));
    }

    @Test
    void crossKeyProblemsNameTheKeyAndTheOtherKey() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    websocket-port: 8080\n");
        assertThatThrownBy(() -> load(config)).hasMessage(
                "hearth.mqtt.websocket-port: port 8080 is already used by hearth.http.port (from " + config + ")");
    }

    @Test
    void listsAreReadFromTheFile() throws Exception {
        Path config = file("""
                hearth:
                  mqtt:
                    acl:
                      - { effect: deny, action: subscribe, filter: "test/nosubscribe" }
                      - { effect: allow, action: publish, filter: "garden/#", who: gardener }
                  serial:
                    gateways:
                      - { id: meter, protocol: dsmr, port: /dev/ttyUSB2, parity: even, data-bits: 7 }
                      - { id: ms1, protocol: mysensors, port: /dev/ttyUSB1, offline-after-minutes: 240 }
                """);
        HearthConfig loaded = load(config);
        assertThat(loaded.mqtt().acl()).containsExactly(
                new AclRule(AclRule.Effect.DENY, AclRule.Action.SUBSCRIBE, "test/nosubscribe", null),
                new AclRule(AclRule.Effect.ALLOW, AclRule.Action.PUBLISH, "garden/#", "gardener"));
        SerialGateway meter = loaded.serial().gateways().get(0);
        assertThat(meter.parity()).isEqualTo(SerialGateway.Parity.EVEN);
        assertThat(meter.dataBits()).isEqualTo(7);
        assertThat(meter.baud()).isEqualTo(115_200);
        assertThat(loaded.serial().gateways().get(1).offlineAfterMinutes()).isEqualTo(240);
    }

    @Test
    void aLinesGatewayReadsItsMappingAndAProblemInItNamesTheFullKey() throws Exception {
        Path config = file("""
                hearth:
                  serial:
                    gateways:
                      - id: garden
                        protocol: lines
                        port: /dev/ttyUSB3
                        baud: 9600
                        lines: { pattern: "T=(?<t>-?[0-9.]+)", keys: { t: temperature }, name: "Garden sensor" }
                """);
        SerialGateway garden = load(config).serial().gateways().get(0);
        assertThat(garden.lines().format()).isEqualTo(LineMapping.Format.REGEX);
        assertThat(garden.lines().keyFor("t")).isEqualTo("temperature");
        assertThat(garden.lineDevice()).isEqualTo("lines-garden");

        Path wrong = file("""
                hearth:
                  serial:
                    gateways:
                      - { id: garden, protocol: lines, port: /dev/ttyUSB3, lines: { format: json, keys: { t: warmth } } }
                """);
        assertThatThrownBy(() -> load(wrong)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.serial.gateways[0].lines.keys.t"));
        Path missing = file("""
                hearth:
                  serial:
                    gateways:
                      - { id: garden, protocol: lines, port: /dev/ttyUSB3 }
                """);
        assertThatThrownBy(() -> load(missing)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("hearth.serial.gateways[0].lines"));
    }

    @Test
    void anInvalidListEntryIsNamedByItsPosition() throws Exception {
        Path config = file("""
                hearth:
                  mqtt:
                    acl:
                      - { effect: deny, action: subscribe, filter: "ok/#" }
                      - { effect: deny, action: subscribe, filter: "bad/#/filter" }
                """);
        assertThatThrownBy(() -> load(config)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("hearth.mqtt.acl[1].filter");
            assertThat(e.getMessage()).contains("# must be a whole level and the last one");
        });
    }

    @Test
    void aListCanComeFromTheEnvironment() throws Exception {
        env.put("HEARTH_SERIAL_GATEWAYS", "[{id: ms1, protocol: mysensors, port: /dev/ttyUSB1}]");
        assertThat(load(null).serial().gateways()).extracting(SerialGateway::id).containsExactly("ms1");
        env.put("HEARTH_SERIAL_GATEWAYS", "ms1");
        assertThatThrownBy(() -> load(null)).hasMessageStartingWith("hearth.serial.gateways: must be a list");
    }

    @Test
    void aMissingConfigFileIsAnError() {
        assertThatThrownBy(() -> load(dir.resolve("missing.yml"))).hasMessageContaining("missing.yml does not exist");
    }

    @Test
    void brokenYamlSaysWhere() throws Exception {
        Path config = file("hearth:\n  mqtt:\n    port: [1884\n");
        assertThatThrownBy(() -> load(config)).hasMessageContaining("is not valid YAML at line");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigLoader.environmentName("hearth.mqtt.tls-port")).isEqualTo("HEARTH_MQTT_TLS_PORT");
        assertThat(ConfigLoader.environmentName("hearth.data-dir")).isEqualTo("HEARTH_DATA_DIR");
    }
}
