package io.hearth.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK's HTTP client against the hub's REST API: requests as any app would make them. */
final class ApiClient {

    record Answer(int status, String contentType, JsonNode body, java.net.http.HttpHeaders headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final java.util.Map<String, String> headers = new java.util.concurrent.ConcurrentHashMap<>();

    /** A client without a login. */
    ApiClient(int port) {
        this(port, null);
    }

    /** A client that keeps cookies when {@code cookies} is given (a browser-like session). */
    ApiClient(int port, java.net.CookieManager cookies) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (cookies != null) {
            builder.cookieHandler(cookies);
        }
        http = builder.build();
        base = "http://127.0.0.1:" + port;
    }

    /** An owner's client with a new API token, for tests about something other than logging in. */
    static ApiClient owner(io.hearth.shadow.RunningShadows hub) throws Exception {
        io.hearth.web.auth.IdentityStore identities = hub.bean(io.hearth.web.auth.IdentityStore.class);
        if (!identities.hasOwner()) {
            identities.addUser("test-owner", io.hearth.core.auth.Role.OWNER, "test-owner-password".toCharArray());
        }
        return new ApiClient(hub.httpPort).header("Authorization",
                "Bearer " + identities.issueToken("test-owner", "tests").secret());
    }

    /** Sends {@code value} as {@code name} with every later request. */
    ApiClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer head(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    Answer delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Answer post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer patch(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = response.body().isEmpty() ? JSON.missingNode()
                : type.contains("json") ? JSON.readTree(response.body()) : JSON.getNodeFactory().textNode(response.body());
        return new Answer(response.statusCode(), type, body,
                response.headers());
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
