package io.hearth.cloud.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.outbox.Outbox;
import io.hearth.core.cloud.DevicePermission;
import io.hearth.cloud.policy.RemotePolicy;
import io.hearth.cloud.upstream.UpstreamMessage;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowException;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowReply;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRecord;
import io.hearth.shadow.device.DeviceRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mode: broker}: the hub is the shadow service for its own named shadows on a plain broker.
 * Local changes go out as {@code /update/documents} and {@code /update/delta} through the outbox;
 * the cloud's {@code get} and {@code update} requests are answered from, and applied to, the local
 * shadows. The hub owns reported state and the shadows' existence, so the cloud may change desired
 * state only (and only where the owner allows it); its writes of reported state and its deletes
 * are refused with 403.
 */
public final class ShadowProjection {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowProjection.class);

    private final UpstreamTopics topics;
    private final ShadowService shadows;
    private final DeviceRegistry registry;
    private final RemotePolicy policy;
    private final Outbox outbox;
    private final ProjectedVersions versions;
    private final HubShadow hub;

    public ShadowProjection(UpstreamTopics topics, ShadowService shadows, DeviceRegistry registry, RemotePolicy policy,
                            Outbox outbox, io.hearth.core.store.Journal journal, Supplier<ObjectNode> hubStatus) {
        this.topics = topics;
        this.shadows = shadows;
        this.registry = registry;
        this.policy = policy;
        this.outbox = outbox;
        this.versions = new ProjectedVersions(journal);
        this.hub = new HubShadow(hubStatus, versions);
        policy.addListener(this::permissionChanged);
    }

    public UpstreamTopics topics() {
        return topics;
    }

    /**
     * Queues every visible device whose shadow changed since it was last handed to the outbox (all
     * of them the first time the link runs), and the hub's own status.
     */
    public void start(DataSource dataSource) throws Exception {
        versions.load(dataSource);
        List<ShadowName> names = new ArrayList<>();
        for (DeviceRecord device : registry.all()) {
            names.add(ShadowName.classic(device.id().value()));
        }
        Map<ShadowName, ShadowDocument> documents = shadows.documents(names).get();
        int queued = 0;
        for (Map.Entry<ShadowName, ShadowDocument> entry : documents.entrySet()) {
            String device = entry.getKey().thing();
            Long projected = versions.of(device);
            if ((projected == null || projected != entry.getValue().version()) && visible(device)) {
                queueDocuments(device, null, entry.getValue());
                queued++;
            }
        }
        if (queued > 0) {
            LOG.info("{} device shadow(s) changed while the cloud link was off; queued for the cloud", queued);
        }
        refreshHub();
    }

    /** Reads the hub's status again and queues it when it changed. */
    public void refreshHub() {
        ShadowDocument[] change = hub.refresh(now());
        if (change != null) {
            outbox.put(HubShadow.KEY, topics.hubPrefix() + "/update/documents",
                    queued -> ShadowBodies.mergeDocuments(queued, ShadowBodies.documents(change[0], change[1], now())));
        }
    }

    /** A committed local change (on the shadow service's event thread). */
    public void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        if (!name.isClassic() || DeviceId.problem(name.thing()) != null) {
            return;
        }
        String device = name.thing();
        if (!visible(device)) {
            return;
        }
        if (current == null) {
            queueDeleted(device, previous == null ? 0 : previous.version());
            return;
        }
        queueDocuments(device, previous, current);
        if (current.delta() != null && !Objects.equals(previous == null ? null : previous.desired(), current.desired())) {
            outbox.put(deltaKey(device), topics.devicePrefix(device) + "/update/delta",
                    queued -> ShadowBodies.delta(current, now()));
        } else if (current.delta() == null) {
            // The device reached what was desired: an older delta still waiting would tell it to act again.
            outbox.remove(deltaKey(device));
        }
    }

    private void queueDocuments(String device, ShadowDocument previous, ShadowDocument current) {
        byte[] body = ShadowBodies.documents(previous, current, now());
        outbox.put(device, topics.devicePrefix(device) + "/update/documents",
                queued -> ShadowBodies.mergeDocuments(queued, body));
        versions.record(device, current.version());
    }

    private void queueDeleted(String device, long version) {
        outbox.remove(deltaKey(device));
        outbox.put(device, topics.devicePrefix(device) + "/delete/accepted",
                queued -> ShadowBodies.deleted(version, now()));
        versions.record(device, -1);
    }

    private void permissionChanged(DevicePermission permission) {
        String device = permission.device().value();
        if (permission.visible()) {
            shadows.documents(List.of(ShadowName.classic(device))).thenAccept(found -> {
                ShadowDocument document = found.get(ShadowName.classic(device));
                if (document != null) {
                    queueDocuments(device, null, document);
                }
            });
        } else {
            // The cloud is told the shadow is gone, and nothing more about it.
            queueDeleted(device, versions.of(device) == null ? 0 : Math.max(0, versions.of(device)));
        }
    }

    /** Subscribes to the hub's request topics on a new session; completes when all are in place. */
    public CompletableFuture<Void> connected(UpstreamSession newSession) {
        List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
        for (String filter : topics.requestFilters()) {
            subscriptions.add(newSession.subscribe(filter));
        }
        refreshHub();
        return CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new));
    }

    /** A message from the cloud: answers it when it is a shadow request for the hub. */
    public void requested(UpstreamSession from, UpstreamMessage message) {
        UpstreamTopics.Request request = topics.parse(message.topic());
        if (request == null) {
            return;
        }
        byte[] payload = message.payload();
        CompletableFuture<ShadowReply> reply;
        if (request.device() == null) {
            reply = hubRequest(request.operation(), payload);
        } else {
            reply = deviceRequest(request.device(), request.operation(), payload);
        }
        String prefix = topics.prefixFor(request.device()) + "/" + request.operation();
        reply.whenComplete((answer, failure) -> {
            if (failure == null) {
                from.publish(prefix + "/accepted", ShadowBodies.bytes(answer.body()), false);
            } else {
                from.publish(prefix + "/rejected", ShadowBodies.bytes(errorBody(failure, payload)), false);
            }
        });
    }

    private CompletableFuture<ShadowReply> deviceRequest(String device, String operation, byte[] payload) {
        if (DeviceId.problem(device) != null || registry.find(DeviceId.of(device)).isEmpty() || !visible(device)) {
            return refused(404, "No shadow exists with name: '" + topics.thingName() + "~" + device + "'");
        }
        ShadowName local = ShadowName.classic(device);
        switch (operation) {
            case "get" -> {
                // The local service names the shadow as the hub knows it; the cloud knows it as thing~device.
                return shadows.get(local, payload).exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof ShadowException absent && absent.error().code() == 404) {
                        return refused(404, "No shadow exists with name: '" + topics.thingName() + "~" + device + "'");
                    }
                    return CompletableFuture.failedFuture(cause);
                });
            }
            case "update" -> {
                String problem = remoteUpdateProblem(payload);
                if (problem != null) {
                    return refused(403, problem);
                }
                if (!policy.of(DeviceId.of(device)).control()) {
                    return refused(403, "Forbidden: the owner has not allowed remote control of this device");
                }
                return shadows.update(local, payload);
            }
            default -> {
                return refused(403, "Forbidden: device shadows are deleted on the hub only");
            }
        }
    }

    private CompletableFuture<ShadowReply> hubRequest(String operation, byte[] payload) {
        if (!operation.equals("get")) {
            return refused(403, "Forbidden: the hub's own shadow only reports its status");
        }
        ShadowDocument document = hub.current();
        if (document == null) {
            return refused(404, "No shadow exists with name: '" + topics.thingName() + "'");
        }
        return CompletableFuture.completedFuture(new ShadowReply(document.toGetResponse(clientToken(payload), now()),
                document));
    }

    /** Why the cloud may not send this update even to a device it may control, or null. */
    private static String remoteUpdateProblem(byte[] payload) {
        JsonNode request;
        try {
            request = ShadowBodies.JSON.readTree(payload);
        } catch (IOException e) {
            return null; // the shadow service answers malformed requests with its own 400
        }
        if (request == null || !request.isObject() || !request.has("state")) {
            return null;
        }
        JsonNode state = request.get("state");
        if (state.isNull()) {
            return "Forbidden: the cloud may not clear a device's shadow; reported state belongs to the hub";
        }
        if (state.isObject() && state.has("reported")) {
            return "Forbidden: reported state belongs to the hub; the cloud may change desired state only";
        }
        return null;
    }

    private boolean visible(String device) {
        return DeviceId.problem(device) == null && policy.of(DeviceId.of(device)).visible();
    }

    private static ObjectNode errorBody(Throwable failure, byte[] payload) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ShadowException refused) {
            return ShadowBodies.error(refused.error().code(), refused.error().message(),
                    refused.clientToken() != null ? refused.clientToken() : clientToken(payload), now());
        }
        LOG.warn("A request from the cloud failed", cause);
        return ShadowBodies.error(500, "Internal service failure", clientToken(payload), now());
    }

    private static CompletableFuture<ShadowReply> refused(int code, String message) {
        return CompletableFuture.failedFuture(new ShadowException(new io.hearth.shadow.ShadowError(code, message), null));
    }

    /** The request's clientToken when it is a short string, so a refusal can still be matched by the app. */
    private static String clientToken(byte[] payload) {
        try {
            JsonNode request = ShadowBodies.JSON.readTree(payload);
            JsonNode token = request == null ? null : request.get("clientToken");
            return token != null && token.isTextual() && token.textValue().length() <= 64 ? token.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String deltaKey(String device) {
        return device + "/delta";
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
