package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.util.Version;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Netty's MQTT codec before 4.2.18.Final buffers MQTT 5 properties before checking the message
 * size limit (GHSA-jfg9-48mv-9qgx and a follow-up fix). A dependency change that drags an older
 * codec onto the class path must fail the build.
 */
class NettyCodecVersionTest {

    private static final int[] FIRST_FIXED = {4, 2, 18};

    @Test
    void theMqttCodecOnTheClassPathHasTheSizeCheckFixes() {
        Version codec = Version.identify(MqttDecoder.class.getClassLoader()).get("netty-codec-mqtt");
        assertThat(codec).as("netty-codec-mqtt version information").isNotNull();
        int[] actual = Arrays.stream(codec.artifactVersion().split("[.]")).limit(3).mapToInt(Integer::parseInt).toArray();
        assertThat(Arrays.compare(actual, FIRST_FIXED))
                .as("netty-codec-mqtt %s must be 4.2.18.Final or newer", codec.artifactVersion())
                .isGreaterThanOrEqualTo(0);
    }
}
