package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UI's files as the hub serves them: no inline code, libraries from the hub itself, bare imports resolved. */
class UiFilesTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningShadows hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHubs.withoutZigbee();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void thePageLoadsItsScriptAndStylesFromTheHubWithNothingInline() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
                .doesNotContain("importmap").doesNotContain("style=").doesNotContainPattern("<script>|<style")
                .doesNotContainPattern("https?://");
    }

    @Test
    void everyModuleTheUiImportsIsServedWithItsBareImportsResolved() throws Exception {
        // Follows the imports from the app's entry point through Lit, as the browser does.
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(java.util.List.of("/ui/app.js"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        Pattern imports = Pattern.compile("(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*)[\"']([^\"'\\s]+)[\"']");
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) {
                continue;
            }
            HttpResponse<String> module = get(path);
            assertThat(module.statusCode()).as(path).isEqualTo(200);
            assertThat(module.headers().firstValue("Content-Type").orElse("")).as(path).contains("javascript");
            Matcher found = imports.matcher(module.body());
            while (found.find()) {
                String specifier = found.group(1);
                assertThat(specifier).as("an import in " + path).matches("^(/|\\./|\\.\\./).*");
                todo.add(URI.create(path).resolve(specifier).getPath());
            }
        }
        assertThat(seen).contains("/vendor/lit/index.js", "/vendor/lit-html/lit-html.js",
                "/vendor/@lit/reactive-element/reactive-element.js", "/vendor/uplot/dist/uPlot.esm.js");
    }

    @Test
    void aLibraryFileIsRevalidatedByItsETagAndUnknownFilesAreNotFound() throws Exception {
        HttpResponse<String> first = get("/vendor/lit-html/lit-html.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(uri("/vendor/lit-html/lit-html.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/vendor/lit-html/package.json").statusCode()).isEqualTo(404);
        assertThat(get("/vendor/lit-html/../lit/index.js").statusCode()).isIn(400, 404);
        assertThat(get("/vendor/left-pad/index.js").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + hub.httpPort + path);
    }
}
