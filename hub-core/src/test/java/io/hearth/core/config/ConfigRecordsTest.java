package io.hearth.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRecordsTest {

    @Test
    void theDefaultsAreTheContractDefaults() {
        HearthConfig config = HearthConfig.defaults();
        assertThat(config.dataDir().toString()).isEqualTo("data");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.mqtt()).isEqualTo(new MqttConfig(1883, 8883, 8083, false, 1200, 1_048_576, 256, 10_000, 10_000, List.of()));
        assertThat(config.zigbee().dongle()).isEqualTo(ZigbeeConfig.Dongle.SIMULATED);
        assertThat(config.cloud().enabled()).isFalse();
    }

    @Test
    void anInvalidValueNamesItsKey() {
        assertThatThrownBy(() -> new MqttConfig(70000, 0, 0, false, 60, 1024, 10, 10, 10, List.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("port");
                    assertThat(e.problem()).contains("70000");
                });
        assertThatThrownBy(() -> new ZigbeeConfig(ZigbeeConfig.Dongle.ZNP, "", 115200, FlowControl.NONE, 0))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("port"));
        assertThatThrownBy(() -> new ZigbeeConfig(ZigbeeConfig.Dongle.SIMULATED, "", 115200, FlowControl.NONE, 27))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("channel"));
    }

    @Test
    void twoListenersCannotShareAPort() {
        HearthConfig defaults = HearthConfig.defaults();
        MqttConfig clash = new MqttConfig(8080, 8883, 8083, false, 1200, 1_048_576, 256, 10_000, 10_000, List.of());
        assertThatThrownBy(() -> defaults.withMqtt(clash))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("mqtt.port");
                    assertThat(e.problem()).contains("hearth.http.port");
                });
        MqttConfig allOff = new MqttConfig(0, 0, 0, false, 1200, 1_048_576, 256, 10_000, 10_000, List.of());
        assertThat(defaults.withMqtt(allOff).mqtt().port()).isZero();
    }

    @Test
    void aclRulesMustHaveAValidFilter() {
        assertThatThrownBy(() -> new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "a/#/b", null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("filter"));
    }

    @Test
    void serialGatewaysGetLineDefaultsAndUniqueIds() {
        SerialGateway gateway = new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/ttyUSB1",
                null, null, null, null, null);
        assertThat(gateway.baud()).isEqualTo(115_200);
        assertThat(gateway.dataBits()).isEqualTo(8);
        assertThat(gateway.parity()).isEqualTo(SerialGateway.Parity.NONE);
        assertThatThrownBy(() -> new SerialConfig(List.of(gateway, gateway)))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("gateways[1].id"));
        assertThatThrownBy(() -> new SerialGateway("Bad Id", SerialGateway.Protocol.DSMR, "/dev/x", null, null, null, null, null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("id"));
    }

    @Test
    void mySensorsNodesCountAsOfflineAfterAnHourOfSilenceUnlessConfiguredOtherwise() {
        assertThat(new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/x", null, null, null, null, null)
                .offlineAfterMinutes()).isEqualTo(60);
        assertThat(new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/x", null, null, null, null, null,
                null, 240).offlineAfterMinutes()).isEqualTo(240);
        assertThatThrownBy(() -> new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/x", null, null, null,
                null, null, null, 0)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.key()).isEqualTo("offline-after-minutes"));
        assertThatThrownBy(() -> new SerialGateway("meter", SerialGateway.Protocol.DSMR, "/dev/x", null, null, null,
                null, null, null, 30)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.key() + ": " + e.getMessage()).contains("offline-after-minutes").contains("mysensors"));
        assertThat(new SerialGateway("meter", SerialGateway.Protocol.DSMR, "/dev/x", null, null, null, null, null)
                .offlineAfterMinutes()).isNull();
    }

    @Test
    void aLinesGatewayNeedsAMappingWhoseKeysAreInTheVocabulary() {
        assertThatThrownBy(() -> new SerialGateway("garden", SerialGateway.Protocol.LINES, "/dev/x", null, null, null, null, null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("lines"));
        LineMapping json = new LineMapping(LineMapping.Format.JSON, null, Map.of("t", "temperature"), null, null);
        assertThatThrownBy(() -> new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/x", null, null, null, null, null, json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("lines"));
        assertThat(new SerialGateway("garden", SerialGateway.Protocol.LINES, "/dev/x", null, null, null, null, null, json)
                .lineDevice()).isEqualTo("lines-garden");
        assertThatThrownBy(() -> new LineMapping(null, null, Map.of("t", "temprature"), null, null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("keys.t"));
        assertThatThrownBy(() -> new LineMapping(LineMapping.Format.REGEX, "T=([0-9]+", Map.of(), null, null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("pattern"));
        assertThatThrownBy(() -> new LineMapping(LineMapping.Format.REGEX, "T=(?<t>[0-9]+)", Map.of(), null, null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("pattern"));
        assertThatThrownBy(() -> new LineMapping(null, null, Map.of(), "no spaces", null))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("device"));
        LineMapping regex = new LineMapping(null, "T=(?<t>[0-9]+) H=(?<humidity>[0-9]+)", Map.of("t", "temperature_2"), null, null);
        assertThat(regex.format()).isEqualTo(LineMapping.Format.REGEX);
        assertThat(regex.keyFor("t")).isEqualTo("temperature_2");
        assertThat(regex.keyFor("humidity")).isEqualTo("humidity");
        assertThat(regex.keyFor("other")).isNull();
    }

    @Test
    void anEnabledCloudLinkNeedsAUsableUrl() {
        CloudConfig off = CloudConfig.defaults();
        assertThatThrownBy(() -> new CloudConfig(true, "http://cloud", "home", CloudConfig.Mode.BROKER, "", "", "", "", ""))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("url"));
        assertThatThrownBy(() -> new CloudConfig(true, "ssl://cloud:8883", "home", CloudConfig.Mode.BROKER, "", "",
                "/cert.pem", "", ""))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("client-key"));
        assertThat(new CloudConfig(true, "wss://cloud/mqtt", "home", off.mode(), "", "", "", "", "").enabled()).isTrue();
    }

    @Test
    void theCloudTopicRootIsAPlainTopicPrefix() {
        CloudConfig link = new CloudConfig(true, "tcp://cloud:1883", "home", CloudConfig.Mode.BROKER, "", "", "", "", "");
        assertThat(link.topicRoot()).isEqualTo("$aws");
        assertThat(link.withTopicRoot("home/aws").topicRoot()).isEqualTo("home/aws");
        for (String wrong : new String[] {"", "aws/#", "+", "aws/", "/aws", "a//b"}) {
            assertThatThrownBy(() -> link.withTopicRoot(wrong)).as(wrong)
                    .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("topic-root"));
        }
    }
}
