package io.hearth.cloud.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.Federation;
import io.hearth.cloud.outbox.Outbox;
import io.hearth.cloud.outbox.OutboxSender;
import io.hearth.cloud.policy.RemotePolicy;
import io.hearth.cloud.upstream.UpstreamMessage;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.core.store.Journal;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** {@code mode: broker}: the {@link ShadowProjection} fed through the durable {@link Outbox}. */
public final class BrokerFederation implements Federation {

    private final Outbox outbox;
    private final ExecutorService sending;
    private final OutboxSender sender;
    private final ShadowProjection projection;

    public BrokerFederation(UpstreamTopics topics, int outboxLimit, ShadowService shadows, DeviceRegistry registry,
                            RemotePolicy policy, Journal journal, Supplier<ObjectNode> hubStatus) {
        outbox = new Outbox(journal, outboxLimit);
        sending = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "cloud-outbox");
            thread.setDaemon(true);
            return thread;
        });
        sender = new OutboxSender(outbox, sending);
        projection = new ShadowProjection(topics, shadows, registry, policy, outbox, journal, hubStatus);
    }

    @Override
    public void start(DataSource dataSource) throws Exception {
        outbox.load(dataSource);
        projection.start(dataSource);
    }

    @Override
    public CompletionStage<Void> connected(UpstreamSession session) {
        sender.connected(session);
        return projection.connected(session);
    }

    @Override
    public void disconnected() {
        sender.disconnected();
    }

    @Override
    public void received(UpstreamSession from, UpstreamMessage message) {
        projection.requested(from, message);
    }

    @Override
    public void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        projection.shadowChanged(name, previous, current);
    }

    @Override
    public void refreshHub() {
        projection.refreshHub();
    }

    @Override
    public int queued() {
        return outbox.queued();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queued", outbox.queued());
        details.put("delivered", outbox.delivered());
        details.put("overflow", outbox.overflow());
        details.put("refused", outbox.refusedCount());
        if (outbox.lastRefusal() != null) {
            details.put("lastRefusal", outbox.lastRefusal());
        }
        return details;
    }

    @Override
    public void stop() {
        sending.shutdownNow();
        try {
            sending.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
