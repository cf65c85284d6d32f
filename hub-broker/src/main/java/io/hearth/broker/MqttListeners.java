package io.hearth.broker;

import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.persistence.Journal;
import io.hearth.broker.protocol.MqttConnection;
import io.hearth.broker.routing.Subscription;
import io.hearth.broker.session.Session;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Store;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.inject.Singleton;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's network side: the plain TCP listener (TLS and WebSocket listeners join it later),
 * the sweep that ends sessions whose expiry has passed, and, at start, the return of the sessions
 * and retained messages kept in the database.
 */
@Singleton
public final class MqttListeners implements HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListeners.class);
    private static final int MAX_CLIENT_ID_BYTES = 256;

    private final MqttConfig config;
    private final Broker broker;
    private final SessionRegistry sessions;
    private final Store store;
    private final Journal journal;
    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup loops;
    private Channel listener;
    private ScheduledFuture<?> sweeper;

    public MqttListeners(HearthConfig config, Broker broker, SessionRegistry sessions, Store store, Journal journal) {
        this.config = config.mqtt();
        this.broker = broker;
        this.sessions = sessions;
        this.store = store;
        this.journal = journal;
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public int startOrder() {
        return BROKER;
    }

    @Override
    public void start() throws Exception {
        journal.open(store.dataSource());
        restore();
        if (config.port() == 0) {
            LOG.info("MQTT listener is off (hearth.mqtt.port is 0)");
            return;
        }
        loops = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast("decoder", new MqttDecoder(config.maxPacketSize(), MAX_CLIENT_ID_BYTES))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("mqtt", new MqttConnection(broker, sessions, config));
                    }
                });
        try {
            listener = bootstrap.bind(config.port()).sync().channel();
        } catch (Exception e) {
            stop();
            if (e instanceof BindException) {
                throw new IllegalStateException("port " + config.port() + " is already in use by another program; "
                        + "stop it, or choose another port with hearth.mqtt.port (HEARTH_MQTT_PORT)", e);
            }
            throw e;
        }
        sweeper = loops.next().scheduleAtFixedRate(this::endExpiredSessions, 10, 10, TimeUnit.SECONDS);
        LOG.info("MQTT listening on port {}", config.port());
    }

    /**
     * Brings back what the database kept: retained messages, and persistent sessions with their
     * subscriptions (checked against today's access rules) and undelivered messages.
     */
    private void restore() throws java.sql.SQLException {
        BrokerStore kept = broker.store();
        broker.restoreRetained(kept.loadRetained(store.dataSource()));
        int subscriptions = 0;
        for (BrokerStore.StoredSession stored : kept.loadSessions(store.dataSource())) {
            Session session = new Session(stored.clientId(), stored.identity(), broker.counters(), kept,
                    MqttConnection.MAX_QUEUED_PER_SESSION);
            session.restore(stored.messages());
            for (Subscription subscription : stored.subscriptions()) {
                if (broker.subscribe(stored.identity(), subscription).granted()) {
                    session.subscriptions().put(subscription.key(), subscription);
                    subscriptions++;
                } else {
                    kept.deleteSubscription(stored.clientId(), subscription.group(), subscription.filter());
                }
            }
            sessions.put(session);
            broker.register(session);
            // Already stored: setting it through the session would write it again.
            session.restoreExpiry(stored.expirySeconds());
        }
        if (sessions.size() > 0 || broker.retainedCount() > 0) {
            LOG.info("Restored {} session(s) with {} subscription(s), and {} retained message(s)", sessions.size(),
                    subscriptions, broker.retainedCount());
        }
    }

    private void endExpiredSessions() {
        long now = System.nanoTime();
        for (Session session : sessions.all()) {
            if (session.expired(now) && sessions.remove(session)) {
                broker.unregister(session, session.subscriptionList());
                session.forget();
            }
        }
    }

    /** The port actually bound (useful when configured as an ephemeral port in tests), or 0. */
    public int port() {
        Channel current = listener;
        return current == null ? 0 : ((java.net.InetSocketAddress) current.localAddress()).getPort();
    }

    @Override
    public void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            loops = null;
        }
        journal.close();
    }

    @Override
    public Health health() {
        if (config.port() == 0) {
            return Health.disabled("the MQTT listener is turned off (hearth.mqtt.port is 0)");
        }
        if (listener == null || !listener.isActive()) {
            return Health.starting();
        }
        BrokerCounters counters = broker.counters();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("port", port());
        details.put("clients", counters.clientsConnected());
        details.put("sessions", sessions.size());
        details.put("subscriptions", broker.subscriptionCount());
        details.put("retained", broker.retainedCount());
        details.put("messagesReceived", counters.messagesReceived());
        details.put("messagesSent", counters.messagesSent());
        details.put("dropped", counters.droppedQueueFullCount() + counters.droppedExpiredCount()
                + counters.droppedQos0OfflineCount());
        return Health.up(details);
    }
}
