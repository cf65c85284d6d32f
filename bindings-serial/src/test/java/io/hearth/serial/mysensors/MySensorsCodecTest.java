package io.hearth.serial.mysensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MySensorsCodecTest {

    @Test
    void aLineReadsIntoAMessageAndFormatsBackTheSame() {
        MySensorsMessage message = MySensorsMessage.parse("12;6;1;0;0;36.5");
        assertThat(message).isEqualTo(new MySensorsMessage(12, 6, Command.SET, false, 0, "36.5"));
        assertThat(message.format()).isEqualTo("12;6;1;0;0;36.5\n");
        assertThat(MySensorsMessage.parse("0;255;3;0;9;gateway started;ok").payload()).isEqualTo("gateway started;ok");
        assertThat(MySensorsMessage.parse("255;255;3;0;3;").payload()).isEmpty();
    }

    @Test
    void malformedLinesAreRefusedWithAReason() {
        for (String line : List.of("", "12;6;1;0;0", "a;6;1;0;0;1", "256;6;1;0;0;1", "12;6;9;0;0;1", "12;6;1;2;0;1",
                "12;-1;1;0;0;1", "1234;6;1;0;0;1", "\uFFFD;\uFFFD", "12;6;1;0;0;" + "x".repeat(201))) {
            assertThatThrownBy(() -> MySensorsMessage.parse(line)).as(line).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void valuesDecodeToTheVocabularyAndCommandsEncodeBack() {
        Reading door = SensorKind.DOOR.readings().get(0);
        assertThat(door.decode("1")).isEqualTo(BooleanNode.FALSE); // tripped = open = contact false
        assertThat(door.encode(BooleanNode.TRUE)).isEqualTo("0");
        Reading dimmer = SensorKind.DIMMER.readings().get(1);
        assertThat(dimmer.decode("40")).isEqualTo(IntNode.valueOf(40));
        assertThat(dimmer.encode(DoubleNode.valueOf(39.6))).isEqualTo("40");
        assertThat(dimmer.encode(IntNode.valueOf(140))).isNull();
        assertThat(dimmer.encode(BooleanNode.TRUE)).isNull();
        Reading temperature = SensorKind.TEMP.readings().get(0);
        assertThat(temperature.decode(" -4.25 ")).isEqualTo(DoubleNode.valueOf(-4.25));
        assertThat(SensorKind.POWER.readings().get(1).decode("5000000000").longValue()).isEqualTo(5_000_000_000L);
        for (String bad : List.of("warm", "NaN", "Infinity", "1e999", "2d", "")) {
            assertThatThrownBy(() -> temperature.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SensorKind.BINARY.readings().get(0).decode("2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void childrenOfOneKindGetSuffixedKeysInChildOrderAndUnknownKindsAddNone() {
        NodeLayout layout = NodeLayout.empty(3)
                .withChild(new NodeLayout.Child(9, 6))
                .withChild(new NodeLayout.Child(2, 6))
                .withChild(new NodeLayout.Child(4, 4))
                .withChild(new NodeLayout.Child(5, 3))
                .withChild(new NodeLayout.Child(6, 25)) // S_SCENE_CONTROLLER: no vocabulary key
                .withBattery();
        assertThat(MySensorsGateway.keys(layout)).containsExactly("temperature", "on", "brightness", "on_2", "temperature_2");
        assertThat(layout.channel(9, 0).orElseThrow().key()).isEqualTo("temperature_2");
        assertThat(layout.channel("on_2").orElseThrow().child()).isEqualTo(5);
        assertThat(layout.description().capabilities()).extracting(c -> c.key())
                .containsExactly("temperature", "on", "brightness", "on_2", "temperature_2", "battery");
        assertThat(layout.description().name()).isEqualTo("MySensors node 3");
    }
}
