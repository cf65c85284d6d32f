package io.hearth.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceIdTest {

    @Test
    void bindingIdsFollowTheContract() {
        assertThat(DeviceId.zigbee(0x00124b0001a2b3c4L).value()).isEqualTo("zigbee-00124b0001a2b3c4");
        assertThat(DeviceId.zigbee(-1L).value()).isEqualTo("zigbee-ffffffffffffffff");
        assertThat(DeviceId.mysensors("ms1", 7).value()).isEqualTo("mysensors-ms1-7");
        assertThat(DeviceId.dsmr("meter").value()).isEqualTo("dsmr-meter");
    }

    @Test
    void idsMustBeUsableAsThingNamesAndTopicLevels() {
        assertThat(DeviceId.problem("kitchen-sensor_2:a")).isNull();
        assertThat(DeviceId.problem("a/b")).contains("not a valid device id");
        assertThat(DeviceId.problem("a+")).isNotNull();
        assertThat(DeviceId.problem("#")).isNotNull();
        assertThat(DeviceId.problem("")).isNotNull();
        assertThat(DeviceId.problem("x".repeat(128))).isNull();
        assertThat(DeviceId.problem("x".repeat(129))).isNotNull();
        assertThat(DeviceId.problem("caf\u00e9")).as("letters outside ASCII").isNotNull();
        assertThat(DeviceId.problem("a b")).isNotNull();
        assertThatThrownBy(() -> DeviceId.of("bad id")).isInstanceOf(IllegalArgumentException.class);
    }
}
