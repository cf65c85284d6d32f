package io.hearth.web.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The JDK's WebSocket client on {@code /api/v1/events}, keeping every event it receives for the test to wait on. */
final class EventStream implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a Zigbee device to join and be interviewed on a busy machine. */
    static final int PATIENCE_SECONDS = 20;

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    static EventStream open(int port, String headerName, String headerValue) throws Exception {
        EventStream stream = new EventStream();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (headerName != null) {
            builder.header(headerName, headerValue);
        }
        stream.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/events"), stream)
                .get(10, TimeUnit.SECONDS);
        return stream;
    }

    /** The first event received from now on that matches, failing after {@value #PATIENCE_SECONDS} seconds. */
    JsonNode await(Predicate<JsonNode> wanted, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        List<JsonNode> skipped = new ArrayList<>();
        while (System.nanoTime() < until) {
            JsonNode event = received.poll(100, TimeUnit.MILLISECONDS);
            if (event == null) {
                continue;
            }
            if (wanted.test(event)) {
                return event;
            }
            skipped.add(event);
        }
        throw new AssertionError("no event " + what + " within " + PATIENCE_SECONDS + " s; received " + skipped);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (java.io.IOException e) {
                throw new AssertionError("an event that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
