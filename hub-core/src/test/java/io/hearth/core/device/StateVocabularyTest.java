package io.hearth.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StateVocabularyTest {

    @Test
    void theVocabularyHasExactlyTheContractKeys() {
        assertThat(Arrays.stream(StateProperty.values()).map(StateProperty::key)).containsExactly(
                "on", "brightness", "colorTemp", "temperature", "humidity", "pressure", "illuminance", "contact",
                "occupancy", "water", "power", "energy", "voltage", "current", "gas", "battery", "linkQuality");
    }

    @Test
    void suffixedKeysNameTheSecondAndLaterParts() {
        assertThat(StateKey.parse("on")).contains(StateKey.of(StateProperty.ON, 1));
        assertThat(StateKey.parse("on_2")).contains(StateKey.of(StateProperty.ON, 2));
        assertThat(StateKey.parse("temperature_3").orElseThrow().toString()).isEqualTo("temperature_3");
        assertThat(StateKey.parse("on_1")).isEmpty();
        assertThat(StateKey.parse("on_0")).isEmpty();
        assertThat(StateKey.parse("colour")).isEmpty();
        assertThat(StateProperty.ON.capability(2).key()).isEqualTo("on_2");
    }

    @Test
    void onlyActuatorKeysAreWritableByDefault() {
        assertThat(StateProperty.ON.capability().writable()).isTrue();
        assertThat(StateProperty.BRIGHTNESS.capability().writable()).isTrue();
        assertThat(StateProperty.COLOR_TEMP.capability().writable()).isTrue();
        assertThat(StateProperty.TEMPERATURE.capability().writable()).isFalse();
        assertThat(StateProperty.CONTACT.capability().writable()).isFalse();
    }

    @Test
    void aCapabilityExplainsWhyAValueDoesNotFit() {
        Capability brightness = StateProperty.BRIGHTNESS.capability();
        assertThat(brightness.problemWith(IntNode.valueOf(50))).isNull();
        assertThat(brightness.problemWith(IntNode.valueOf(101))).isEqualTo("brightness must be between 0 and 100 %");
        assertThat(brightness.problemWith(TextNode.valueOf("50"))).isEqualTo("brightness must be a number");
        assertThat(StateProperty.ON.capability().problemWith(IntNode.valueOf(1))).isEqualTo("on must be true or false");
        assertThat(StateProperty.ON.capability().problemWith(BooleanNode.TRUE)).isNull();
        Capability mireds = StateProperty.COLOR_TEMP.capability().withRange(153.0, 500.0);
        assertThat(mireds.problemWith(DoubleNode.valueOf(250.5))).isEqualTo("colorTemp must be a whole number");
        assertThat(mireds.problemWith(DoubleNode.valueOf(250.0))).isNull();
        assertThat(mireds.problemWith(IntNode.valueOf(600))).isEqualTo("colorTemp must be between 153 and 500 mired");
    }

    @Test
    void capabilitiesAreListedAsPlainJson() throws Exception {
        String json = new ObjectMapper().writeValueAsString(StateProperty.TEMPERATURE.capability());
        assertThat(json).isEqualTo(
                "{\"key\":\"temperature\",\"type\":\"number\",\"unit\":\"°C\",\"min\":-273.15,\"max\":1000.0,\"access\":\"read\"}");
    }
}
