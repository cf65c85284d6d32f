package io.hearth.installer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The REST API as the home's first owner: onboarding through the API as a browser does it (session
 * cookie, CSRF header), then an API token for every later call.
 */
final class OwnerApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    private OwnerApi(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** Creates the owner on a hub that has none, and gets an API token for them. */
    static OwnerApi onboard(int port) throws IOException, InterruptedException {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> created = browser.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/onboarding"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"owner\",\"password\":\"owner-password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IOException("onboarding answered " + created.statusCode() + ": " + created.body());
        }
        String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("hearth_csrf"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        HttpResponse<String> issued = browser.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                .header("X-Hearth-CSRF", csrf).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return new OwnerApi(port, JSON.readTree(issued.body()).path("token").asText());
    }

    /** The API as the owner whose token was issued earlier, e.g. before a backup. */
    static OwnerApi withToken(int port, String token) {
        return new OwnerApi(port, token);
    }

    /** The owner's API token, which is also their MQTT password (username {@code owner}). */
    String token() {
        return token;
    }

    /** Sends a JSON body; returns the status and the answer. */
    HealthProbe.Answer send(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        return new HealthProbe.Answer(response.statusCode(), answer);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
