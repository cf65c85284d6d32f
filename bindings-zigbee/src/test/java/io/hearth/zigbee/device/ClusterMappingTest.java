package io.hearth.zigbee.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.StateProperty;
import org.junit.jupiter.api.Test;

/** The conversions no demo device exercises, and the ZCL "no reading" values. */
class ClusterMappingTest {

    @Test
    void everyVocabularyPropertyABindingCanReadHasExactlyOneAttribute() {
        for (StateProperty property : new StateProperty[] {StateProperty.ON, StateProperty.BRIGHTNESS,
                StateProperty.COLOR_TEMP, StateProperty.TEMPERATURE, StateProperty.HUMIDITY, StateProperty.PRESSURE,
                StateProperty.ILLUMINANCE, StateProperty.OCCUPANCY, StateProperty.POWER, StateProperty.ENERGY,
                StateProperty.VOLTAGE, StateProperty.CURRENT, StateProperty.BATTERY}) {
            assertThat(ClusterMapping.table().stream().filter(m -> m.property() == property)).hasSize(1);
        }
    }

    @Test
    void pressureIsReportedInHectopascalAndOccupancyFromItsFirstBit() {
        assertThat(Conversion.INTEGER.toState(1013, 1)).isEqualTo(1013L);
        assertThat(Conversion.BIT_0.toState(0b11, 1)).isEqualTo(true);
        assertThat(Conversion.BIT_0.toState(0b10, 1)).isEqualTo(false);
    }

    @Test
    void voltageAndCurrentAreScaledByTheDevicesMultiplierAndDivisor() {
        assertThat(Conversion.INTEGER.toState(2301, 1.0 / 10)).isEqualTo(230.1);
        assertThat(Conversion.INTEGER.toState(1250, 1.0 / 1000)).isEqualTo(1.25);
    }

    @Test
    void zigbeeMarkersForNoReadingAreNotReported() {
        assertThat(Conversion.HUNDREDTHS.toState(-32768, 1)).isNull();
        assertThat(Conversion.LEVEL_PERCENT.toState(255, 1)).isNull();
        assertThat(Conversion.HALF_PERCENT.toState(255, 1)).isNull();
        assertThat(Conversion.LOG_LUX.toState(0xFFFF, 1)).isNull();
        assertThat(Conversion.LOG_LUX.toState(0, 1)).isEqualTo(0);
    }

    @Test
    void iasZonesMapByZoneTypeAndContactMeansClosed() {
        assertThat(ClusterMapping.iasZoneProperty(0x0015)).contains(StateProperty.CONTACT);
        assertThat(ClusterMapping.iasZoneProperty(0x000D)).contains(StateProperty.OCCUPANCY);
        assertThat(ClusterMapping.iasZoneProperty(0x002A)).contains(StateProperty.WATER);
        assertThat(ClusterMapping.iasZoneProperty(0x0028)).isEmpty();
        assertThat(ClusterMapping.iasZoneValue(StateProperty.CONTACT, 0x0001)).isFalse();
        assertThat(ClusterMapping.iasZoneValue(StateProperty.WATER, 0x0001)).isTrue();
    }

    @Test
    void brightnessSurvivesTheRoundTripThroughTheCoarserLevel() {
        for (int percent = 0; percent <= 100; percent++) {
            Object level = Conversion.LEVEL_PERCENT.toZcl(percent);
            assertThat(Conversion.LEVEL_PERCENT.toState(level, 1)).isEqualTo(percent);
        }
    }
}
