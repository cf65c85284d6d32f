package io.hearth.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.outbox.Outbox;
import io.hearth.cloud.outbox.OutboxSender;
import io.hearth.cloud.policy.RemotePolicy;
import io.hearth.cloud.projection.ShadowProjection;
import io.hearth.cloud.upstream.Backoff;
import io.hearth.cloud.upstream.LinkState;
import io.hearth.cloud.upstream.UpstreamConnection;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.core.config.CloudConfig;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthReporter;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.lifecycle.HubVersion;
import io.hearth.core.store.Journal;
import io.hearth.core.store.Store;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRegistry;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's federation with a cloud gateway: one outbound connection through which the hub appears
 * as the thing {@code hearth.cloud.thing-name}, its devices as that thing's named shadows. The home
 * never waits for it: local changes are queued in a durable outbox and sent when the cloud is
 * reachable. Also the entry point for the REST API: {@link #status()} and {@link #policy()}.
 */
@Singleton
public final class CloudLink implements HubComponent {

    /** How often the hub's own shadow is checked for a changed status. */
    static final long HUB_STATUS_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);

    private final CloudConfig config;
    private final Store store;
    private final ShadowService shadows;
    private final DeviceRegistry registry;
    private final Journal journal;
    private final BeanProvider<HealthReporter> hubHealth;
    private final Backoff backoff;
    private final RemotePolicy policy;
    private volatile Outbox outbox;
    private volatile OutboxSender sender;
    private volatile ShadowProjection projection;
    private volatile UpstreamConnection connection;
    private volatile ScheduledExecutorService scheduler;
    private volatile ExecutorService sending;
    private volatile String problem;
    private volatile boolean started;

    @Inject
    public CloudLink(HearthConfig config, Store store, ShadowService shadows, DeviceRegistry registry,
                     @Named("cloud") Journal journal, BeanProvider<HealthReporter> hubHealth) {
        this(config.cloud(), store, shadows, registry, journal, hubHealth, Backoff.standard());
    }

    CloudLink(CloudConfig config, Store store, ShadowService shadows, DeviceRegistry registry, Journal journal,
              BeanProvider<HealthReporter> hubHealth, Backoff backoff) {
        this.config = config;
        this.store = store;
        this.shadows = shadows;
        this.registry = registry;
        this.journal = journal;
        this.hubHealth = hubHealth;
        this.backoff = backoff;
        this.policy = new RemotePolicy(registry, journal);
        // Registered before anything starts, so no committed change can slip past the link.
        shadows.addListener(this::shadowChanged);
    }

    @Override
    public String name() {
        return "cloud";
    }

    @Override
    public int startOrder() {
        return CLOUD;
    }

    /** A cloud that cannot be reached, or refuses the hub, must not keep the home from running. */
    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() throws Exception {
        journal.open(store.dataSource());
        policy.load(store.dataSource());
        if (!config.enabled()) {
            return;
        }
        if (config.mode() != CloudConfig.Mode.BROKER) {
            problem = "hearth.cloud.mode: aws-shadow is not available in this version of Hearth; use mode: broker";
            LOG.error(problem);
            return;
        }
        outbox = new Outbox(journal, config.outboxLimit());
        outbox.load(store.dataSource());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cloud-link"));
        sending = Executors.newSingleThreadExecutor(r -> daemon(r, "cloud-outbox"));
        sender = new OutboxSender(outbox, sending);
        projection = new ShadowProjection(config.thingName(), shadows, registry, policy, outbox, journal,
                this::hubStatus);
        started = true;
        projection.start(store.dataSource());
        connection = new UpstreamConnection(config, backoff, new UpstreamConnection.Events() {
            @Override
            public CompletionStage<Void> connected(UpstreamSession session) {
                sender.connected(session);
                return projection.connected(session);
            }

            @Override
            public void disconnected() {
                sender.disconnected();
            }
        }, scheduler);
        connection.start();
        scheduler.scheduleWithFixedDelay(this::refreshHubQuietly, HUB_STATUS_SECONDS, HUB_STATUS_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("Cloud link to {} as {} ({} change(s) waiting)", connection.endpoint(), config.thingName(),
                outbox.queued());
    }

    @Override
    public void stop() {
        started = false;
        UpstreamConnection current = connection;
        if (current != null) {
            current.stop();
        }
        shutdown(scheduler);
        shutdown(sending);
        journal.close();
    }

    @Override
    public Health health() {
        if (!config.enabled()) {
            return Health.disabled("The cloud link is off (hearth.cloud.enabled: false)");
        }
        if (problem != null) {
            return Health.down(problem);
        }
        UpstreamConnection current = connection;
        if (current == null) {
            return Health.starting();
        }
        LinkState state = current.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("upstream", current.endpoint());
        details.put("thing", config.thingName());
        details.put("connected", state.connected());
        if (state.since() != null) {
            details.put("since", state.since().toString());
        }
        if (state.connected()) {
            details.put("protocol", state.protocolVersion() == 5 ? "MQTT 5" : "MQTT 3.1.1");
        }
        details.put("queued", outbox.queued());
        details.put("delivered", outbox.delivered());
        details.put("overflow", outbox.overflow());
        details.put("refused", outbox.refusedCount());
        if (state.connected()) {
            return Health.up(details);
        }
        String why = state.lastError() != null ? state.lastError() : "Connecting to the cloud at " + current.endpoint();
        return new Health(state.gaveUp() ? HealthStatus.DOWN : HealthStatus.DEGRADED, why, details);
    }

    /** What {@code GET /api/v1/cloud} shows. */
    public CloudStatus status() {
        UpstreamConnection current = connection;
        Outbox queue = outbox;
        if (!config.enabled() || current == null) {
            return new CloudStatus(config.enabled(), false, null, queue == null ? 0 : queue.queued(), problem);
        }
        LinkState state = current.state();
        Instant since = state.since();
        return new CloudStatus(true, state.connected(), since == null ? null : since.toString(), queue.queued(),
                state.lastError());
    }

    /** The owner's choice per device of what the cloud may see and change. Usable while the link is off. */
    public RemotePolicy policy() {
        return policy;
    }

    private void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        ShadowProjection active = projection;
        if (started && active != null) {
            active.shadowChanged(name, previous, current);
        }
    }

    private ObjectNode hubStatus() {
        ObjectNode reported = JsonNodeFactory.instance.objectNode();
        reported.put("hearthVersion", HubVersion.current());
        reported.put("devices", registry.all().size());
        String health = hubHealth.find(null).map(reporter -> reporter.report().status().name()).orElse("UP");
        reported.put("health", health);
        return reported;
    }

    private void refreshHubQuietly() {
        try {
            projection.refreshHub();
        } catch (RuntimeException e) {
            LOG.warn("The hub's status could not be sent to the cloud: {}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
