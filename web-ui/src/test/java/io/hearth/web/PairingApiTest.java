package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/pairing} over the real serial binding: open with a countdown, show, close, and refusals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PairingApiTest {

    private static RunningShadows hub;
    private static ApiClient owner;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHubs.withoutZigbee();
        owner = ApiClient.owner(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void openingPairingStartsACountdownThatGetShowsAndDeleteEnds() throws Exception {
        ApiClient.Answer opened = owner.post("/api/v1/pairing", "{\"binding\":\"serial\",\"seconds\":120}");
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.body().path("binding").asText()).isEqualTo("serial");
        assertThat(opened.body().path("open").asBoolean()).isTrue();
        assertThat(opened.body().path("secondsLeft").asLong()).isBetween(118L, 120L);
        assertThat(opened.body().path("joined").isArray()).isTrue();
        assertThat(opened.body().path("failed").isArray()).as("devices that could not be added, with reasons").isTrue();

        ApiClient.Answer shown = owner.get("/api/v1/pairing");
        assertThat(shown.body().path("open").asBoolean()).isTrue();
        assertThat(shown.body().path("secondsLeft").asLong()).isLessThanOrEqualTo(120L);

        ApiClient.Answer closed = owner.delete("/api/v1/pairing");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.body().path("open").asBoolean()).isFalse();
        assertThat(owner.get("/api/v1/pairing?binding=serial").body().path("open").asBoolean()).isFalse();
    }

    @Test
    void anUnknownBindingOrAWindowOutOfRangeIsRefusedSayingWhatWorks() throws Exception {
        ApiClient.Answer unknown = owner.post("/api/v1/pairing", "{\"binding\":\"thread\",\"seconds\":60}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("detail").asText()).contains("use one of:").contains("serial").contains("zigbee");
        ApiClient.Answer tooLong = owner.post("/api/v1/pairing", "{\"binding\":\"serial\",\"seconds\":86400}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("detail").asText()).isEqualTo("seconds must be a whole number from 10 to 600.");
    }
}
