package io.hearth.cloud;

import io.hearth.core.cloud.CloudState;
import io.hearth.core.cloud.CloudStatus;
import io.hearth.core.cloud.RemoteAccess;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.policy.RemotePolicy;
import io.hearth.cloud.projection.BrokerFederation;
import io.hearth.cloud.projection.UpstreamTopics;
import io.hearth.cloud.sync.ShadowSync;
import io.hearth.cloud.upstream.Backoff;
import io.hearth.cloud.upstream.LinkState;
import io.hearth.cloud.upstream.UpstreamConnection;
import io.hearth.cloud.upstream.UpstreamMessage;
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
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
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
public final class CloudLink implements CloudState, HubComponent {

    /** How often the hub's own shadow is checked for a changed status. */
    static final long HUB_STATUS_SECONDS = 30;
    /** mode aws-shadow: every shadow is compared in full once per start and at most this often on reconnects. */
    static final Duration FULL_SYNC_EVERY = Duration.ofHours(1);
    /** mode aws-shadow: the gap between two devices of a full comparison (at most 20 per second). */
    static final Duration FULL_SYNC_PACE = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);

    private final CloudConfig config;
    private final Store store;
    private final ShadowService shadows;
    private final DeviceRegistry registry;
    private final Journal journal;
    private final BeanProvider<HealthReporter> hubHealth;
    private final Backoff backoff;
    private final RemotePolicy policy;
    private volatile Federation federation;
    private volatile UpstreamConnection connection;
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean started;

    @Inject
    public CloudLink(HearthConfig config, Store store, ShadowService shadows, DeviceRegistry registry,
                     BeanProvider<HealthReporter> hubHealth) {
        this(config.cloud(), store, shadows, registry, hubHealth, Backoff.standard());
    }

    CloudLink(CloudConfig config, Store store, ShadowService shadows, DeviceRegistry registry,
              BeanProvider<HealthReporter> hubHealth, Backoff backoff) {
        this.config = config;
        this.store = store;
        this.shadows = shadows;
        this.registry = registry;
        this.journal = store.journal();
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
        policy.load(store.dataSource());
        if (!config.enabled()) {
            return;
        }
        UpstreamTopics topics = new UpstreamTopics(config.topicRoot(), config.thingName());
        federation = config.mode() == CloudConfig.Mode.BROKER
                ? new BrokerFederation(topics, config.outboxLimit(), shadows, registry, policy, journal,
                        this::hubStatus)
                : new ShadowSync(topics, shadows, registry, policy, journal, this::hubStatus,
                        FULL_SYNC_EVERY, FULL_SYNC_PACE);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cloud-link"));
        started = true;
        federation.start(store.dataSource());
        Federation active = federation;
        connection = new UpstreamConnection(config, backoff, new UpstreamConnection.Events() {
            @Override
            public CompletionStage<Void> connected(UpstreamSession session) {
                return active.connected(session);
            }

            @Override
            public void disconnected() {
                active.disconnected();
            }

            @Override
            public void received(UpstreamSession from, UpstreamMessage message) {
                active.received(from, message);
            }
        }, scheduler);
        connection.start();
        scheduler.scheduleWithFixedDelay(this::refreshHubQuietly, HUB_STATUS_SECONDS, HUB_STATUS_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("Cloud link ({}) to {} as {} ({} device(s) waiting)", config.mode() == CloudConfig.Mode.BROKER
                ? "broker" : "aws-shadow", connection.endpoint(), config.thingName(), federation.queued());
    }

    @Override
    public void stop() {
        started = false;
        UpstreamConnection current = connection;
        if (current != null) {
            current.stop();
        }
        shutdown(scheduler);
        if (federation != null) {
            federation.stop();
        }
        journal.flush();
    }

    @Override
    public Health health() {
        if (!config.enabled()) {
            return Health.disabled("The cloud link is off (hearth.cloud.enabled: false)");
        }
        UpstreamConnection current = connection;
        if (current == null) {
            return Health.starting();
        }
        LinkState state = current.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("upstream", current.endpoint());
        details.put("thing", config.thingName());
        details.put("mode", config.mode() == CloudConfig.Mode.BROKER ? "broker" : "aws-shadow");
        details.put("connected", state.connected());
        if (state.since() != null) {
            details.put("since", state.since().toString());
        }
        if (state.connected()) {
            details.put("protocol", state.protocolVersion() == 5 ? "MQTT 5" : "MQTT 3.1.1");
        }
        details.putAll(federation.details());
        if (state.connected()) {
            return Health.up(details);
        }
        String why = state.lastError() != null ? state.lastError() : "Connecting to the cloud at " + current.endpoint();
        return new Health(state.gaveUp() ? HealthStatus.DOWN : HealthStatus.DEGRADED, why, details);
    }

    /** What {@code GET /api/v1/cloud} shows. */
    @Override
    public CloudStatus status() {
        UpstreamConnection current = connection;
        Federation active = federation;
        if (!config.enabled() || current == null || active == null) {
            return new CloudStatus(config.enabled(), false, null, 0, null);
        }
        LinkState state = current.state();
        Instant since = state.since();
        return new CloudStatus(true, state.connected(), since == null ? null : since.toString(), active.queued(),
                state.lastError());
    }

    /** The owner's choice per device of what the cloud may see and change. Usable while the link is off. */
    public RemotePolicy policy() {
        return policy;
    }

    @Override
    public RemoteAccess remoteAccess() {
        return policy;
    }

    private void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        Federation active = federation;
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
            federation.refreshHub();
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
