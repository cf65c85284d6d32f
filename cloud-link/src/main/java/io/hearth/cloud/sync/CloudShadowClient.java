package io.hearth.cloud.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.projection.UpstreamTopics;
import io.hearth.cloud.upstream.UpstreamMessage;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.shadow.ShadowError;
import io.hearth.shadow.ShadowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Requests to an AWS-IoT-compatible shadow service upstream, matched to their answers by
 * clientToken. Also hands on the cloud's {@code /update/documents} and {@code /delete/accepted} for
 * changes others made, so the sync learns of them without polling.
 */
final class CloudShadowClient {

    /** A shadow as the cloud holds it; version null when it does not exist there. */
    record CloudDocument(ObjectNode desired, ObjectNode reported, Long version) {
        static final CloudDocument ABSENT = new CloudDocument(null, null, null);
    }

    static final long TIMEOUT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamTopics topics;
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BiConsumer<String, Long> changedInCloud;
    private volatile UpstreamSession session;

    /** {@code changedInCloud} receives the device and the cloud's new version (null when deleted there). */
    CloudShadowClient(UpstreamTopics topics, BiConsumer<String, Long> changedInCloud) {
        this.topics = topics;
        this.tokenPrefix = "hearth-" + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
        this.changedInCloud = changedInCloud;
    }

    CompletableFuture<Void> connected(UpstreamSession newSession) {
        session = newSession;
        List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
        String named = topics.hubPrefix() + "/name/+";
        for (String suffix : List.of("/get/accepted", "/get/rejected", "/update/accepted", "/update/rejected",
                "/delete/accepted", "/delete/rejected", "/update/documents")) {
            subscriptions.add(newSession.subscribe(named + suffix));
        }
        for (String suffix : List.of("/update/accepted", "/update/rejected")) {
            subscriptions.add(newSession.subscribe(topics.hubPrefix() + suffix));
        }
        return CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new));
    }

    void disconnected() {
        session = null;
        pending.values().forEach(request -> request.completeExceptionally(new IOException("the link to the cloud is down")));
        pending.clear();
    }

    boolean connected() {
        return session != null;
    }

    CloudDocument get(String device) throws Exception {
        try {
            JsonNode document = request(topics.devicePrefix(device) + "/get", JSON.createObjectNode());
            JsonNode state = document.path("state");
            return new CloudDocument(object(state.get("desired")), object(state.get("reported")),
                    document.path("version").asLong());
        } catch (ShadowException e) {
            if (e.error().code() == 404) {
                return CloudDocument.ABSENT;
            }
            throw e;
        }
    }

    /** Sends an update; {@code version} null skips the version check. Returns the new cloud version. */
    long update(String prefix, ObjectNode state, Long version) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("state", state);
        if (version != null) {
            body.put("version", version);
        }
        return request(prefix + "/update", body).path("version").asLong();
    }

    void delete(String device) throws Exception {
        try {
            request(topics.devicePrefix(device) + "/delete", JSON.createObjectNode());
        } catch (ShadowException e) {
            if (e.error().code() != 404) {
                throw e;
            }
        }
    }

    private JsonNode request(String topic, ObjectNode body) throws Exception {
        UpstreamSession current = session;
        if (current == null) {
            throw new IOException("the link to the cloud is down");
        }
        String token = tokenPrefix + tokens.incrementAndGet();
        body.put("clientToken", token);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(token, answer);
        try {
            current.publish(topic, body.toString().getBytes(StandardCharsets.UTF_8), false);
            return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pending.remove(token);
        }
    }

    void received(UpstreamMessage message) {
        JsonNode body;
        try {
            body = JSON.readTree(message.payload());
        } catch (IOException e) {
            return;
        }
        if (body == null) {
            return;
        }
        String topic = message.topic();
        String token = body.path("clientToken").asText(null);
        boolean ours = token != null && token.startsWith(tokenPrefix);
        if (topic.endsWith("/update/documents") || topic.endsWith("/delete/accepted")) {
            String device = deviceOf(topic);
            if (!ours && device != null) {
                changedInCloud.accept(device, topic.endsWith("/delete/accepted") ? null
                        : body.path("current").path("version").asLong());
            }
        }
        if (!ours || topic.endsWith("/update/documents")) {
            return;
        }
        CompletableFuture<JsonNode> request = pending.get(token);
        if (request == null) {
            return;
        }
        if (topic.endsWith("/rejected")) {
            request.completeExceptionally(new ShadowException(new ShadowError(body.path("code").asInt(500),
                    body.path("message").asText("")), token));
        } else {
            request.complete(body);
        }
    }

    private String deviceOf(String topic) {
        String prefix = topics.hubPrefix() + "/name/";
        if (!topic.startsWith(prefix)) {
            return null;
        }
        int end = topic.indexOf('/', prefix.length());
        return end < 0 ? null : topic.substring(prefix.length(), end);
    }

    private static ObjectNode object(JsonNode node) {
        return node instanceof ObjectNode object && !object.isEmpty() ? object : null;
    }
}
