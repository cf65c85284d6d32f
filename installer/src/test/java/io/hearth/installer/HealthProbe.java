package io.hearth.installer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads /api/v1/health over real HTTP, as a supervisor would. */
final class HealthProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final int port;

    HealthProbe(int port) {
        this.port = port;
    }

    record Answer(int status, JsonNode body) {
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.headers().firstValue("content-type").orElse("").contains("json")
                ? JSON.readTree(response.body()) : JSON.getNodeFactory().textNode(response.body());
        return new Answer(response.statusCode(), body);
    }

    Answer health() throws IOException, InterruptedException {
        return get("/api/v1/health");
    }

    /** Polls until an answer satisfies {@code condition}; fails after {@code timeout}. */
    Answer await(Predicate<Answer> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = health();
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(20);
        }
        throw new AssertionError("health never reached the expected state; last answer: "
                + (last == null ? "none" : last.status() + " " + last.body()));
    }
}
