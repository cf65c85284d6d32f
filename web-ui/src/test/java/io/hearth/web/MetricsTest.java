package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /metrics} exports the components' figures in Prometheus text format, to owners only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {

    @Test
    void ownersReadEveryComponentsFiguresAsPrometheusSamples() throws Exception {
        try (RunningShadows hub = TestHubs.withoutZigbee()) {
            ApiClient owner = ApiClient.owner(hub);
            owner.post("/api/v1/things/lamp/shadow", "{\"state\":{\"reported\":{\"on\":true}}}");
            owner.post("/api/v1/things/lamp/shadow", "{\"state\":{\"delta\":{}}}");
            String token = owner.post("/api/v1/tokens", "{}").body().path("token").asText();
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + hub.httpPort + "/metrics")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.body()).contains("\nhearth_shadows_accepted 1\n", "\nhearth_shadows_rejected 1\n",
                    "\nhearth_broker_up 1\n", "hearth_broker_dropped ", "hearth_broker_dropped_because_queue_full ", "hearth_broker_dropped_because_qos0_slow ", "# TYPE hearth_jvm_heap_used_bytes untyped\n");
            assertThat(metrics.body().lines().filter(line -> !line.startsWith("#")))
                    .allMatch(line -> line.matches("[a-z_][a-z0-9_]* -?[0-9.E-]+"));
        }
    }
}
