package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import io.hearth.core.config.CloudConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one outbound connection to the cloud. It tries MQTT 5 first and falls back to 3.1.1 when
 * the cloud does not speak 5; after a loss it reconnects with {@link Backoff}; when the cloud refuses
 * the hub's login or identity it stops, since only the owner can fix that, and says why in
 * {@link #state()}. All of its decisions run on one scheduler thread, so its fields need no locks.
 */
public final class UpstreamConnection {

    /** Told when a session begins and ends; called on the scheduler thread. */
    public interface Events {
        /** The returned stage completes once the session is ready for use (its subscriptions are in place). */
        CompletionStage<Void> connected(UpstreamSession session);

        /** A message from the cloud, on the client's thread; must not block. */
        void received(UpstreamSession from, UpstreamMessage message);

        void disconnected();
    }

    /** Long enough for the cloud to keep the hub's subscriptions and queued requests over an outage. */
    static final long SESSION_EXPIRY_SECONDS = TimeUnit.DAYS.toSeconds(1);
    static final int KEEP_ALIVE_SECONDS = 30;
    /**
     * A connection must last this long before the backoff starts over; a cloud that accepts the hub
     * and then throws it out at once (e.g. for a topic it forbids) is retried ever more slowly.
     */
    static final long STABLE_MILLIS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

    private final CloudConfig config;
    private final Backoff backoff;
    private final Events events;
    private final ScheduledExecutorService scheduler;
    private final String endpoint;
    private volatile LinkState state = LinkState.initial();
    private volatile boolean stopped;
    private long attempt;
    private boolean attemptEnded;
    private boolean established;
    private long establishedAt;
    private int failures;
    private boolean mqtt3;
    private Runnable disconnect = () -> { };

    public UpstreamConnection(CloudConfig config, Backoff backoff, Events events, ScheduledExecutorService scheduler) {
        this.config = config;
        this.backoff = backoff;
        this.events = events;
        this.scheduler = scheduler;
        URI uri = URI.create(config.url());
        this.endpoint = uri.getHost() + ":" + port(uri);
    }

    public void start() {
        scheduler.execute(this::attempt);
    }

    /** Disconnects cleanly; no reconnect follows. */
    public void stop() {
        stopped = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                disconnect.run();
                done.complete(null);
            });
            done.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Disconnecting from the cloud did not finish: {}", e.toString());
        }
    }

    public LinkState state() {
        return state;
    }

    /** host:port of the cloud, for messages. */
    public String endpoint() {
        return endpoint;
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        long current = ++attempt;
        attemptEnded = false;
        established = false;
        MqttClientTransportConfig transport;
        try {
            transport = transport();
        } catch (UpstreamSetupException e) {
            giveUp(e.getMessage());
            return;
        }
        if (mqtt3) {
            connect3(current, transport);
        } else {
            connect5(current, transport);
        }
    }

    private void connect5(long current, MqttClientTransportConfig transport) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(config.thingName())
                .transportConfig(transport)
                .addDisconnectedListener(context -> onScheduler(() ->
                        ended(current, context.getCause(), context.getSource())))
                .buildAsync();
        Mqtt5Session session = new Mqtt5Session(client);
        // Registered before connecting: a resumed session delivers what it queued right after CONNACK.
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> events.received(session,
                new UpstreamMessage(publish.getTopic().toString(), publish.getPayloadAsBytes())));
        var connect = client.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .keepAlive(KEEP_ALIVE_SECONDS);
        if (!config.username().isEmpty() || !config.password().isEmpty()) {
            Mqtt5SimpleAuthBuilder auth = Mqtt5SimpleAuth.builder();
            Mqtt5SimpleAuthBuilder.Complete complete = config.username().isEmpty()
                    ? auth.password(config.password().getBytes(StandardCharsets.UTF_8))
                    : auth.username(config.username()).password(config.password().getBytes(StandardCharsets.UTF_8));
            connect = connect.simpleAuth(complete.build());
        }
        disconnect = () -> client.disconnect();
        connect.send().whenComplete((ack, failure) -> onScheduler(() -> {
            if (failure == null) {
                established(current, session);
            } else {
                ended(current, failure, MqttDisconnectSource.CLIENT);
            }
        }));
    }

    private void connect3(long current, MqttClientTransportConfig transport) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(config.thingName())
                .transportConfig(transport)
                .addDisconnectedListener(context -> onScheduler(() ->
                        ended(current, context.getCause(), context.getSource())))
                .buildAsync();
        Mqtt3Session session = new Mqtt3Session(client);
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> events.received(session,
                new UpstreamMessage(publish.getTopic().toString(), publish.getPayloadAsBytes())));
        var connect = client.connectWith().cleanSession(false).keepAlive(KEEP_ALIVE_SECONDS);
        if (!config.username().isEmpty()) {
            connect = connect.simpleAuth(Mqtt3SimpleAuth.builder().username(config.username())
                    .password(config.password().getBytes(StandardCharsets.UTF_8)).build());
        }
        disconnect = () -> client.disconnect();
        connect.send().whenComplete((ack, failure) -> onScheduler(() -> {
            if (failure == null) {
                established(current, session);
            } else {
                ended(current, failure, MqttDisconnectSource.CLIENT);
            }
        }));
    }

    private void established(long current, UpstreamSession session) {
        if (current != attempt || attemptEnded || stopped) {
            return;
        }
        established = true;
        establishedAt = System.nanoTime();
        // Shown as connected only once the cloud's requests can reach the hub.
        events.connected(session).whenComplete((ready, failure) -> onScheduler(() -> {
            if (current != attempt || attemptEnded || stopped) {
                return;
            }
            String error = failure == null ? null : "The cloud at " + endpoint
                    + " refused the hub's subscriptions; remote requests will not reach the hub: " + failure.getMessage();
            state = new LinkState(true, Instant.now(), error, false, session.protocolVersion());
            LOG.info("Connected to the cloud at {} as {} over MQTT {}", endpoint, config.thingName(),
                    session.protocolVersion() == 5 ? "5" : "3.1.1");
        }));
    }

    /** The attempt failed, or its connection ended. Each attempt ends once; later reports of it are ignored. */
    private void ended(long current, Throwable cause, MqttDisconnectSource source) {
        if (current != attempt || attemptEnded) {
            return;
        }
        attemptEnded = true;
        if (stopped || source == MqttDisconnectSource.USER) {
            state = new LinkState(false, Instant.now(), state.lastError(), false, 0);
            return;
        }
        boolean wasConnected = established;
        if (wasConnected && System.nanoTime() - establishedAt >= TimeUnit.MILLISECONDS.toNanos(STABLE_MILLIS)) {
            failures = 0;
        }
        Refusal refusal = Refusal.of(cause, endpoint, config.thingName(), config.topicRoot());
        if (wasConnected) {
            events.disconnected();
        }
        if (refusal.permanent()) {
            giveUp(refusal.message());
            return;
        }
        state = new LinkState(false, wasConnected ? Instant.now() : sinceOrNow(), refusal.message(), false, 0);
        Duration delay;
        if (refusal.olderProtocol() && !wasConnected) {
            mqtt3 = !mqtt3;
            delay = Duration.ZERO;
            LOG.info("The cloud at {} refused MQTT {}; trying MQTT {}", endpoint, mqtt3 ? "5" : "3.1.1",
                    mqtt3 ? "3.1.1" : "5");
        } else {
            failures++;
            delay = backoff.delayAfter(failures, ThreadLocalRandom.current());
            LOG.warn("{} (next attempt in {} ms)", refusal.message(), delay.toMillis());
        }
        scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs on the scheduler thread; after {@link #stop()} the scheduler is gone and late reports are moot. */
    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }

    private Instant sinceOrNow() {
        Instant since = state.since();
        return since == null || state.connected() ? Instant.now() : since;
    }

    private void giveUp(String message) {
        state = new LinkState(false, Instant.now(), message, true, 0);
        LOG.error("{}. The cloud link stays off until then.", message);
    }

    private MqttClientTransportConfig transport() throws UpstreamSetupException {
        URI uri = URI.create(config.url());
        String scheme = uri.getScheme();
        MqttClientTransportConfigBuilder builder = MqttClientTransportConfig.builder()
                .serverHost(uri.getHost()).serverPort(port(uri))
                .socketConnectTimeout(10, TimeUnit.SECONDS)
                .mqttConnectTimeout(20, TimeUnit.SECONDS);
        if (scheme.equals("ssl") || scheme.equals("wss")) {
            MqttClientSslConfig ssl = TlsMaterial.sslConfig(config);
            builder = builder.sslConfig(ssl);
        }
        if (scheme.equals("ws") || scheme.equals("wss")) {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            builder = builder.webSocketConfig(MqttWebSocketConfig.builder()
                    .serverPath(path.startsWith("/") ? path.substring(1) : path).subprotocol("mqtt").build());
        }
        return builder.build();
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return switch (uri.getScheme()) {
            case "ssl" -> 8883;
            case "ws" -> 80;
            case "wss" -> 443;
            default -> 1883;
        };
    }
}
