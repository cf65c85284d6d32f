package io.hearth.broker;

import io.hearth.broker.listener.FirstPacket;
import io.hearth.broker.listener.ConnectRate;
import io.hearth.broker.listener.TlsContexts;
import io.hearth.broker.listener.WebSocketFrames;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.protocol.Flushes;
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
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.inject.Singleton;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's network side: the TCP, TLS and WebSocket listeners (each turned off by a port of 0),
 * the sweep that ends sessions whose expiry has passed, and, at start, the return of the sessions
 * and retained messages kept in the database.
 */
@Singleton
public final class MqttListeners implements HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListeners.class);
    private static final int MAX_CLIENT_ID_BYTES = 256;
    /** The largest CONNECT accepted: room for credentials and a will message, no more before authentication. */
    private static final int MAX_CONNECT_BYTES = 64 * 1024;

    private final MqttConfig config;
    private final Broker broker;
    private final SessionRegistry sessions;
    private final Store store;
    private final ConnectRate connectRate;
    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    /** MQTT over WebSocket is served at this path, as browsers' MQTT clients expect. */
    public static final String WEBSOCKET_PATH = "/mqtt";
    /** How often $SYS figures are refreshed and expired sessions ended. */
    static final int SYS_INTERVAL_SECONDS = 10;

    private final Map<Integer, Channel> listening = new java.util.concurrent.ConcurrentHashMap<>();
    private EventLoopGroup loops;
    private ScheduledFuture<?> sweeper;

    public MqttListeners(HearthConfig config, Broker broker, SessionRegistry sessions, Store store) {
        this.config = config.mqtt();
        this.broker = broker;
        this.sessions = sessions;
        this.store = store;
        this.connectRate = new ConnectRate(this.config.connectRateLimit());
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
        restore();
        broker.access().identities().onRevoked(this::revoke);
        if (config.port() == 0 && config.tlsPort() == 0 && config.websocketPort() == 0) {
            LOG.info("MQTT listeners are off (hearth.mqtt.port, tls-port and websocket-port are 0)");
            return;
        }
        loops = new MultiThreadIoEventLoopGroup(eventLoops(Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        try {
            if (config.port() != 0) {
                listen(config.port(), "hearth.mqtt.port (HEARTH_MQTT_PORT)", channel -> { });
            }
            if (config.tlsPort() != 0) {
                TlsContexts tls = new TlsContexts(store.dataDir().tls());
                listen(config.tlsPort(), "hearth.mqtt.tls-port (HEARTH_MQTT_TLS_PORT)",
                        channel -> channel.pipeline().addLast("tls", tls.current().newHandler(channel.alloc())));
            }
            if (config.websocketPort() != 0) {
                listen(config.websocketPort(), "hearth.mqtt.websocket-port (HEARTH_MQTT_WEBSOCKET_PORT)",
                        channel -> channel.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("httpBody", new HttpObjectAggregator(8192))
                                .addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig
                                        .newBuilder().websocketPath(WEBSOCKET_PATH).subprotocols("mqtt,mqttv3.1")
                                        .maxFramePayloadLength(config.maxPacketSize()).build()))
                                .addLast("frames", new WebSocketFrames()));
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        SysTopics sys = new SysTopics(broker, sessions);
        sys.publish();
        sweeper = loops.next().scheduleAtFixedRate(() -> {
            sessions.endExpired(System.nanoTime(), broker);
            connectRate.forgetRested(System.nanoTime());
            sys.publish();
        }, SYS_INTERVAL_SECONDS, SYS_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Event loops for {@code cores}: half of them, at least one. A message between two connections
     * on different loops costs a hand-over and a wake-up of the other thread; on two cores, which
     * the journal, the garbage collector and the rest of the hub share, one loop delivers about as
     * many messages per second as two did and with less latency (QoS 1 at 5,000 msg/s: p50 about
     * 80 instead of 110 µs in bench/mqtt.sh runs).
     */
    static int eventLoops(int cores) {
        return Math.max(1, cores / 2);
    }

    /** Binds one listener; {@code transport} adds what sits below MQTT (TLS, WebSocket) to each connection. */
    private void listen(int port, String key, java.util.function.Consumer<SocketChannel> transport) throws Exception {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Netty's default allocator saves memory when many threads allocate; here one event
                // loop does, and the pooled allocator's per-thread cache hands it each read and write
                // buffer for about 2 µs less CPU per QoS 1 message at 5,000 msg/s (bench/mqtt.sh 4).
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // A subscriber counts as slow once this much is waiting to be written to it.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(MqttConnection.LOW_WATER_MARK,
                        MqttConnection.HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast("flushes", new Flushes());
                        transport.accept(channel);
                        channel.pipeline()
                                .addLast("firstPacket", new FirstPacket(Math.min(config.maxPacketSize(), MAX_CONNECT_BYTES)))
                                .addLast("decoder", new MqttDecoder(config.maxPacketSize(), MAX_CLIENT_ID_BYTES))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("mqtt", new MqttConnection(broker, sessions, config, connectRate));
                    }
                });
        try {
            listening.put(port, bootstrap.bind(port).sync().channel());
        } catch (Exception e) {
            if (e instanceof BindException) {
                throw new IllegalStateException("port " + port + " is already in use by another program; "
                        + "stop it, or choose another port with " + key, e);
            }
            throw e;
        }
        LOG.info("MQTT listening on port {}", port);
    }

    /**
     * Brings back what the database kept: retained messages, and persistent sessions with their
     * subscriptions (checked against today's access rules) and undelivered messages.
     */
    private void restore() throws java.sql.SQLException {
        BrokerStore kept = broker.store();
        broker.restoreRetained(kept.loadRetained(store.dataSource()));
        int subscriptions = 0;
        int dropped = 0;
        for (BrokerStore.StoredSession stored : kept.loadSessions(store.dataSource())) {
            if (broker.access().identities().resolve(stored.identity()).isEmpty()) {
                // Its identity was revoked while the hub was down: the session cannot be resumed.
                kept.deleteSession(stored.clientId());
                dropped++;
                continue;
            }
            Session session = new Session(stored.clientId(), stored.identity(), broker.counters(), kept, config);
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
        if (dropped > 0) {
            LOG.info("Dropped {} session(s) of revoked identities", dropped);
        }
        if (sessions.size() > 0 || broker.retainedCount() > 0) {
            LOG.info("Restored {} session(s) with {} subscription(s), and {} retained message(s)", sessions.size(),
                    subscriptions, broker.retainedCount());
        }
    }

    /**
     * Ends everything of a revoked identity at once: its live connections are told why and closed,
     * and its sessions, with their subscriptions and queued messages, are deleted.
     */
    private void revoke(String identity) {
        for (Session session : List.copyOf(sessions.all())) {
            if (session.identity().equals(identity)) {
                if (session.outbound() != null) {
                    session.outbound().revoked();
                }
                if (sessions.remove(session)) {
                    broker.unregister(session, session.subscriptionList());
                    session.forget();
                }
                LOG.info("Ended session {} of revoked identity {}", session.id(), identity);
            }
        }
    }

    @Override
    public void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        listening.values().forEach(channel -> channel.close().syncUninterruptibly());
        listening.clear();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            loops = null;
        }
    }

    @Override
    public Health health() {
        int configured = (int) java.util.stream.IntStream.of(config.port(), config.tlsPort(), config.websocketPort())
                .filter(p -> p != 0).count();
        if (configured == 0) {
            return Health.disabled("the MQTT listeners are turned off");
        }
        if (listening.size() < configured || !listening.values().stream().allMatch(Channel::isActive)) {
            return Health.starting();
        }
        BrokerCounters counters = broker.counters();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("port", config.port());
        details.put("tlsPort", config.tlsPort());
        details.put("websocketPort", config.websocketPort());
        details.put("clients", counters.clientsConnected());
        details.put("sessions", sessions.size());
        details.put("subscriptions", broker.subscriptionCount());
        details.put("retained", broker.retainedCount());
        details.put("messagesReceived", counters.messagesReceived());
        details.put("messagesSent", counters.messagesSent());
        details.put("dropped", counters.droppedQueueFullCount() + counters.droppedExpiredCount()
                + counters.droppedQos0OfflineCount() + counters.droppedQos0SlowCount() + counters.droppedTooLargeCount());
        // Per reason as well, so /metrics can tell a full offline queue from expired or oversize messages.
        Map<String, Object> because = new LinkedHashMap<>();
        because.put("queueFull", counters.droppedQueueFullCount());
        because.put("expired", counters.droppedExpiredCount());
        because.put("qos0Offline", counters.droppedQos0OfflineCount());
        because.put("qos0Slow", counters.droppedQos0SlowCount());
        because.put("tooLarge", counters.droppedTooLargeCount());
        details.put("droppedBecause", because);
        return Health.up(details);
    }
}
