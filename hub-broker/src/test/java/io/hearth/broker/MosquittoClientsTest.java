package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The broker driven by Debian's mosquitto_pub and mosquitto_sub, MQTT 3.1.1 and 5. */
class MosquittoClientsTest {

    private RunningBroker running;

    @BeforeEach
    void needsTheMosquittoClients() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"));
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("mosquitto-clients installed").isTrue();
        }
        assumeTrue(installed, "mosquitto-clients not installed");
        running = RunningBroker.open();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv31", "mqttv311", "mqttv5"})
    void aRetainedQos1MessageFromMosquittoPubReachesMosquittoSub(String protocol) throws Exception {
        String port = Integer.toString(running.port);
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", protocol, "-q", "1", "-r",
                "-t", "hearth/devices/plug/state", "-m", "{\"power\":12.5}").redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", protocol, "-q", "1",
                "-t", "hearth/devices/+/state", "-C", "1", "-W", "5", "-v").start();
        assertThat(sub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("hearth/devices/plug/state {\"power\":12.5}");
        assertThat(sub.exitValue()).isZero();
    }
}
