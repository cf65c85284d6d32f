package io.hearth.broker.protocol;

import io.hearth.broker.Broker;
import io.hearth.broker.listener.ClientCertificate;
import io.hearth.broker.listener.ConnectRate;
import io.hearth.broker.listener.FirstPacket;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.routing.PublisherFlow;
import io.hearth.broker.routing.Subscription;
import io.hearth.broker.session.Outbound;
import io.hearth.broker.session.Session;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.auth.AuthenticationException;
import io.hearth.core.auth.Identity;
import io.hearth.core.auth.Role;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.bus.Topics;
import io.hearth.core.bus.Utf8Payload;
import io.hearth.core.config.MqttConfig;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from CONNECT to close: MQTT 3.1, 3.1.1 and 5 on the same code path, with
 * MQTT 5 reason codes and reason strings wherever the client can receive them.
 */
public final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> implements Outbound, PublisherFlow {

    /** How long a new connection may take to send CONNECT. */
    static final long CONNECT_TIMEOUT_SECONDS = 10;
    /** The send buffer low-water mark set by the listeners (see MqttListeners). */
    public static final int LOW_WATER_MARK = 64 * 1024;
    /** ... and its high-water mark. */
    public static final int HIGH_WATER_MARK = 256 * 1024;
    /** The longest a publisher is paused for a subscriber that is behind. */
    static final long MAX_PAUSE_MILLIS = 1_000;
    /** Inbound topic aliases a client may use. */
    static final int TOPIC_ALIAS_MAXIMUM = 64;
    private static final ConnectRate UNLIMITED = new ConnectRate(0);
    private static final int MAX_CLIENT_ID_LENGTH = 256;
    private static final long SESSION_NEVER_EXPIRES = 0xFFFFFFFFL;

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final Broker broker;
    private final SessionRegistry sessions;
    private final MqttConfig config;
    private ChannelHandlerContext ctx;
    private int version;
    private Session session;
    private String identity;
    private BusMessage will;
    private long willDelaySeconds;
    private boolean closedByClient;
    /** Set from the event loop of the connection that took the client id over. */
    private volatile boolean takenOver;
    private long maxOutgoingPacket = Long.MAX_VALUE;
    private final Map<Integer, String> topicAliases = new HashMap<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private OrderedAcks acks;
    /** Subscribers this publisher is waiting for; reading resumes when none is left. */
    private int awaitedSubscribers;
    /** Counts pauses, so a late "caught up" from an earlier pause is not mistaken for the current one. */
    private long pauses;
    /** Packets that arrived while the CONNECT's login was being checked; null otherwise. */
    private ArrayDeque<MqttMessage> heldDuringLogin;
    private final ConnectRate connectRate;
    /** PUBLISH packets routed since the last read completed; the first one's deliveries leave at once. */
    private int publishesThisRead;

    public MqttConnection(Broker broker, SessionRegistry sessions, MqttConfig config) {
        this(broker, sessions, config, UNLIMITED);
    }

    public MqttConnection(Broker broker, SessionRegistry sessions, MqttConfig config, ConnectRate connectRate) {
        this.broker = broker;
        this.sessions = sessions;
        this.config = config;
        this.connectRate = connectRate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        acks = new OrderedAcks(context.executor(), this::answer, context::flush);
        context.executor().schedule(() -> {
            if (session == null && context.channel().isActive()) {
                context.close();
            }
        }, CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, MqttMessage message) {
        if (heldDuringLogin != null) {
            heldDuringLogin.add(ReferenceCountUtil.retain(message));
            return;
        }
        if (message.decoderResult().isFailure()) {
            refuseUnreadable(message.decoderResult().cause());
            return;
        }
        if (takenOver) {
            // Read before the takeover's close ran: the session belongs to the new connection now.
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        if (session == null && type != MqttMessageType.CONNECT) {
            // Nothing but CONNECT is accepted before the client is known.
            context.close();
            return;
        }
        switch (type) {
            case CONNECT -> {
                if (session != null) {
                    disconnect(ReasonCode.PROTOCOL_ERROR, "a second CONNECT on one connection is a protocol error");
                } else {
                    connect((MqttConnectMessage) message);
                }
            }
            case PUBLISH -> publish((MqttPublishMessage) message);
            case PUBACK, PUBCOMP -> session.completed(packetId(message));
            case PUBREC -> session.received(packetId(message));
            case PUBREL -> releasedByClient(packetId(message));
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message);
            case PINGREQ -> ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> clientDisconnect(message);
            // No CONNECT is accepted with an Authentication Method, so no AUTH may follow (§3.15, §4.12).
            case AUTH -> disconnect(ReasonCode.PROTOCOL_ERROR,
                    "AUTH without an authentication method agreed in CONNECT; this hub offers no enhanced authentication");
            default -> disconnect(ReasonCode.PROTOCOL_ERROR, type + " is not supported from a client");
        }
    }

    // ---- CONNECT ----------------------------------------------------------------------------

    private void connect(MqttConnectMessage connect) {
        var header = connect.variableHeader();
        var payload = connect.payload();
        version = header.version();
        MqttProperties properties = header.properties();
        boolean cleanStart = header.isCleanSession();
        String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        boolean assigned = false;

        if (!connectRate.allow(address(), System.nanoTime())) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "too many connections from " + address() + "; wait a moment before connecting again");
            return;
        }
        if (clientId.isEmpty()) {
            if (version < 5 && !cleanStart) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "an empty client id needs a clean session");
                return;
            }
            clientId = "hearth-" + UUID.randomUUID();
            assigned = true;
        }
        if (v5() && Properties5.string(properties, MqttPropertyType.AUTHENTICATION_METHOD) != null) {
            // Enhanced authentication (MQTT 5 §4.12) needs a method both sides know; the hub offers none.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "bad authentication method: this hub supports no enhanced authentication");
            return;
        }
        String idProblem = clientIdProblem(clientId);
        if (idProblem != null) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, idProblem);
            return;
        }
        String certified = ClientCertificate.name(ctx.pipeline().get(SslHandler.class));
        if (certified != null) {
            // TLS has verified the certificate; its name is the identity, and a user name may only repeat it.
            if (payload.userName() != null && !payload.userName().equals(certified)) {
                refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                        "the user name must be the client certificate's name, " + certified);
                return;
            }
            String nameProblem = clientIdProblem(certified);
            if (nameProblem != null) {
                refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                        "the certificate's name " + nameProblem.substring("client id ".length()));
                return;
            }
            awaitLogin(connect, clientId, assigned, broker.access().identities().certifiedLater(certified, address()));
            return;
        }
        if (payload.userName() != null) {
            String username = payload.userName();
            String nameProblem = clientIdProblem(username);
            if (nameProblem != null) {
                refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                        "user name " + nameProblem.substring("client id ".length()));
                return;
            }
            awaitLogin(connect, clientId, assigned, broker.access().identities().loginLater(username,
                    payload.passwordInBytes(), address()));
            return;
        }
        if (!config.allowAnonymous()) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "this hub does not accept clients without credentials");
            return;
        }
        identity = AccessPolicy.ANONYMOUS;
        accept(connect, clientId, assigned);
    }

    /** Holds what the client sends next until its login is checked, off the network thread. */
    private void awaitLogin(MqttConnectMessage connect, String clientId, boolean assigned, CompletableFuture<Identity> login) {
        heldDuringLogin = new ArrayDeque<>();
        ctx.channel().config().setAutoRead(false);
        if (login.isDone()) {
            // Refused without a check (no identity store, a reserved name): answer at once.
            login.whenComplete((who, failure) -> loggedIn(connect, clientId, assigned, who, failure));
        } else {
            login.whenComplete((who, failure) -> ctx.executor().execute(() -> loggedIn(connect, clientId, assigned, who,
                    failure)));
        }
    }

    private void loggedIn(MqttConnectMessage connect, String clientId, boolean assigned, Identity who, Throwable failure) {
        ArrayDeque<MqttMessage> held = heldDuringLogin;
        heldDuringLogin = null;
        try {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (failure != null) {
                refuseLogin(failure);
                return;
            }
            String username = who.name();
            String id = assigned ? username + "/" + UUID.randomUUID() : clientId;
            if (!id.equals(username) && !id.startsWith(username + "/")) {
                refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "the client id must be " + username + " or start with " + username + "/");
                return;
            }
            identity = username;
            accept(connect, id, assigned);
            ctx.channel().config().setAutoRead(true);
            while (!held.isEmpty() && ctx.channel().isActive()) {
                MqttMessage next = held.poll();
                try {
                    channelRead0(ctx, next);
                } finally {
                    ReferenceCountUtil.release(next);
                }
            }
        } finally {
            held.forEach(ReferenceCountUtil::release);
        }
    }

    private void refuseLogin(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        AuthenticationException.Reason reason = cause instanceof AuthenticationException refused
                ? refused.reason() : AuthenticationException.Reason.NOT_AUTHORIZED;
        switch (reason) {
            case BAD_CREDENTIALS -> refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "unknown user name or wrong password");
            case THROTTLED -> refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, cause.getMessage());
            default -> refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, cause.getMessage());
        }
    }

    /** Devices' retained messages are counted against their quota; owners' (and development-mode anonymous clients') are not. */
    private boolean retainedCounted() {
        return broker.access().identities().resolve(identity).map(who -> who.role() == Role.DEVICE).orElse(true);
    }

    private String address() {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet
                ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    /** The rest of CONNECT, once the client is known: limits, will, session, CONNACK. */
    private void accept(MqttConnectMessage connect, String clientId, boolean assigned) {
        var header = connect.variableHeader();
        var payload = connect.payload();
        MqttProperties properties = header.properties();
        boolean cleanStart = header.isCleanSession();
        if (broker.counters().clientsConnected() >= config.maxConnections()) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "the hub has reached its limit of " + config.maxConnections() + " connections");
            return;
        }
        if (header.isWillFlag() && !acceptWill(header, payload)) {
            return;
        }

        long sessionExpiry = v5() ? orDefault(Properties5.unsigned(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL), 0L)
                : (cleanStart ? 0 : SESSION_NEVER_EXPIRES);
        int clientReceiveMaximum = v5() ? orDefault(Properties5.integer(properties, MqttPropertyType.RECEIVE_MAXIMUM), 65_535)
                : 65_535;
        Integer clientAliases = v5() ? Properties5.integer(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM) : null;
        if (clientAliases != null && clientAliases > 0) {
            ctx.pipeline().addBefore(ctx.name(), "topicAliases", new OutgoingTopicAliases(clientAliases));
        }
        Integer clientMaxPacket = v5() ? Properties5.integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE) : null;
        if (clientMaxPacket != null) {
            maxOutgoingPacket = Integer.toUnsignedLong(clientMaxPacket);
        }
        int requestedKeepAlive = header.keepAliveTimeSeconds();
        int keepAlive = requestedKeepAlive;
        if (v5() && (requestedKeepAlive == 0 || requestedKeepAlive > config.maxKeepAlive())) {
            keepAlive = config.maxKeepAlive();
        }
        if (keepAlive > 0) {
            // The client must be heard from within one and a half keep-alive periods.
            ctx.pipeline().addFirst("keepAlive", new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }

        sessions.cancelWill(clientId);
        Session existing = sessions.get(clientId);
        if (existing != null && existing.outbound() != null) {
            existing.outbound().takenOver();
        }
        boolean sessionPresent = existing != null && !cleanStart;
        if (sessionPresent) {
            session = existing;
        } else {
            if (existing != null) {
                discard(existing);
            }
            session = new Session(clientId, identity, broker.counters(), broker.store(), config);
            sessions.put(session);
        }
        session.expirySeconds(sessionExpiry);
        broker.register(session);
        broker.counters().connected();

        MqttProperties ack = new MqttProperties();
        if (v5()) {
            ack.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
            ack.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketSize()));
            ack.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, TOPIC_ALIAS_MAXIMUM));
            if (keepAlive != requestedKeepAlive) {
                ack.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
            }
            if (assigned) {
                ack.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
            }
        }
        ctx.write(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent).properties(ack).build());
        session.attach(this, clientReceiveMaximum);
        ctx.flush();
    }

    private boolean acceptWill(io.netty.handler.codec.mqtt.MqttConnectVariableHeader header,
                               io.netty.handler.codec.mqtt.MqttConnectPayload payload) {
        if (header.willQos() > 2) {
            // A will QoS of 3 makes the CONNECT malformed; Netty's decoder does not check it.
            if (v5()) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, "will QoS must be 0, 1 or 2");
            } else {
                ctx.close();
            }
            return false;
        }
        String topic = payload.willTopic();
        String problem = Topics.nameProblem(topic);
        if (problem != null) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will topic: " + problem);
            return false;
        }
        if (!broker.mayPublish(identity, topic)) {
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not allowed to publish the will to " + topic);
            return false;
        }
        MqttProperties willProperties = payload.willProperties() == null ? MqttProperties.NO_PROPERTIES : payload.willProperties();
        byte[] willPayload = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
        Integer format = v5() ? Properties5.integer(willProperties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR) : null;
        if (format != null && format != 0 && format != BusMessage.PAYLOAD_UTF8) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET,
                    "will payload format indicator " + format + " is neither 0 nor 1");
            return false;
        }
        if (format != null && format == BusMessage.PAYLOAD_UTF8 && !Utf8Payload.wellFormed(willPayload)) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PAYLOAD_FORMAT_INVALID,
                    "the will payload is marked as UTF-8 text but is not valid UTF-8");
            return false;
        }
        will = Properties5.message(topic, willPayload, header.willQos(), header.isWillRetain(), willProperties);
        willDelaySeconds = orDefault(Properties5.unsigned(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL), 0L);
        return true;
    }

    private static String clientIdProblem(String clientId) {
        if (clientId.length() > MAX_CLIENT_ID_LENGTH) {
            return "client id longer than " + MAX_CLIENT_ID_LENGTH + " characters";
        }
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            if (c == '+' || c == '#' || c < 0x20 || c == 0x7F) {
                return "client id must not contain +, # or control characters";
            }
        }
        return null;
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        LOG.debug("Refused {}: {}", ctx.channel().remoteAddress(), reason);
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false)
                .properties(v5() ? Properties5.reason(reason) : MqttProperties.NO_PROPERTIES).build();
        ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- PUBLISH from the client -----------------------------------------------------------

    private void publish(MqttPublishMessage message) {
        MqttPublishVariableHeader header = message.variableHeader();
        int qos = message.fixedHeader().qosLevel().value();
        int packetId = header.packetId();
        MqttProperties properties = header.properties();
        String topic = header.topicName();

        Integer alias = v5() ? Properties5.integer(properties, MqttPropertyType.TOPIC_ALIAS) : null;
        if (alias != null) {
            if (alias == 0 || alias > TOPIC_ALIAS_MAXIMUM) {
                disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " is outside 1.." + TOPIC_ALIAS_MAXIMUM);
                return;
            }
            if (topic.isEmpty()) {
                topic = topicAliases.get(alias);
                if (topic == null) {
                    disconnect(ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
                    return;
                }
            } else {
                topicAliases.put(alias, topic);
            }
        }
        String problem = Topics.nameProblem(topic);
        if (problem != null) {
            disconnect(ReasonCode.TOPIC_NAME_INVALID, problem);
            return;
        }
        // Unacknowledged: a QoS 2 publish until its PUBREL, a QoS 1 publish while its copies are
        // being stored. MQTT 3.1.1 grants no window; there the bound on QoS 2 only caps memory.
        boolean newQos2 = qos == 2 && !inboundQos2.contains(packetId);
        if ((newQos2 || qos == 1 && v5())
                && inboundQos2.size() + (v5() ? acks.owedQos1() : 0) >= config.receiveMaximum()) {
            disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + config.receiveMaximum() + " QoS 1 and 2 messages unacknowledged");
            return;
        }
        broker.counters().received(message.payload().readableBytes());
        if (!broker.mayPublish(identity, topic)) {
            if (!v5()) {
                // MQTT 3.1.1 has no way to refuse a publish but to close the connection.
                ctx.close();
            } else {
                acknowledge(qos, packetId, ReasonCode.NOT_AUTHORIZED, "not allowed to publish to " + topic);
            }
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(message.payload());
        Integer format = v5() ? Properties5.integer(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR) : null;
        if (format != null && format != 0 && format != BusMessage.PAYLOAD_UTF8) {
            disconnect(ReasonCode.MALFORMED_PACKET, "payload format indicator " + format + " is neither 0 nor 1");
            return;
        }
        if (format != null && format == BusMessage.PAYLOAD_UTF8 && !Utf8Payload.wellFormed(payload)) {
            String reason = "the payload is marked as UTF-8 text but is not valid UTF-8";
            if (qos == 0) {
                disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID, reason);
            } else {
                acknowledge(qos, packetId, ReasonCode.PAYLOAD_FORMAT_INVALID, reason);
            }
            return;
        }
        if (qos == 2 && !inboundQos2.add(packetId)) {
            // A resent QoS 2 message we already routed: acknowledge again, deliver once.
            acknowledge(qos, packetId, ReasonCode.SUCCESS, null);
            return;
        }
        if (message.fixedHeader().isRetain() && retainedCounted()) {
            String overQuota = broker.retainedQuota().problem(identity, topic, payload.length);
            if (overQuota != null) {
                if (!v5()) {
                    ctx.close();
                } else if (qos == 0) {
                    disconnect(ReasonCode.QUOTA_EXCEEDED, overQuota);
                } else {
                    acknowledge(qos, packetId, ReasonCode.QUOTA_EXCEEDED, overQuota);
                }
                return;
            }
            broker.retainedQuota().record(identity, topic, payload.length);
        }
        BusMessage routed = Properties5.message(topic, payload, qos, message.fixedHeader().isRetain(), properties);
        CompletableFuture<Void> durable = Flushes.routing(++publishesThisRead == 1,
                () -> broker.publish(session.id(), routed, this));
        if (qos > 0) {
            acknowledgeWhenStored(durable, qos, packetId);
        }
    }

    /**
     * Acknowledges once the message is as durable as promised, and in the order the messages
     * came: a later message that needed no storing still waits for an earlier one's commit.
     */
    private void acknowledgeWhenStored(CompletableFuture<Void> durable, int qos, int packetId) {
        if (acks.isEmpty() && durable.isDone() && !durable.isCompletedExceptionally()) {
            acknowledge(qos, packetId, ReasonCode.SUCCESS, null);
            return;
        }
        acks.add(new OrderedAcks.Owed(durable, qos, packetId));
    }

    /** Writes the acknowledgement of a publish whose storing is over; the caller flushes. */
    private void answer(OrderedAcks.Owed publish) {
        if (!publish.durable().isCompletedExceptionally()) {
            ctx.write(reply(publish.qos() == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, publish.packetId(),
                    ReasonCode.SUCCESS, null));
        } else if (v5()) {
            ctx.write(reply(publish.qos() == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, publish.packetId(),
                    ReasonCode.UNSPECIFIED_ERROR, "the hub could not store the message"));
        } else {
            ctx.close();
        }
    }

    private void acknowledge(int qos, int packetId, int reasonCode, String reason) {
        if (qos == 0) {
            return;
        }
        MqttMessageType type = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        ctx.writeAndFlush(reply(type, packetId, reasonCode, reason));
    }

    private void releasedByClient(int packetId) {
        boolean known = inboundQos2.remove(packetId);
        ctx.writeAndFlush(reply(MqttMessageType.PUBCOMP, packetId,
                known ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, null));
    }

    /** An acknowledgement; without a reason, as its four bytes. */
    private Object reply(MqttMessageType type, int packetId, int reasonCode, String reason) {
        if (reasonCode == ReasonCode.SUCCESS && reason == null) {
            return HandEncoded.ack(ctx.alloc(), type, packetId);
        }
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode,
                        v5() ? Properties5.reason(reason) : MqttProperties.NO_PROPERTIES));
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE ---------------------------------------------------------------

    private void subscribe(MqttSubscribeMessage message) {
        int packetId = message.idAndPropertiesVariableHeader().messageId();
        MqttProperties properties = message.idAndPropertiesVariableHeader().properties();
        int identifier = v5() ? orDefault(Properties5.integer(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER), 0) : 0;
        List<Integer> codes = new ArrayList<>();
        List<Runnable> retainedDeliveries = new ArrayList<>();
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (MqttTopicSubscription request : message.payload().topicSubscriptions()) {
            SharedFilter filter = SharedFilter.parse(request.topicFilter());
            var option = request.option();
            if (filter.problem() != null || (filter.group() != null && option.isNoLocal())) {
                codes.add(v5() ? ReasonCode.TOPIC_FILTER_INVALID : ReasonCode.FAILURE);
                continue;
            }
            // A bridge must not get its own messages back, and needs the retain flag as published to pass it on.
            boolean bridge = Boolean.TRUE.equals(ctx.channel().attr(FirstPacket.BRIDGE).get());
            Subscription subscription = new Subscription(session.id(), filter.filter(), filter.group(), Qos.of(option.qos().value()),
                    option.isNoLocal() || bridge, option.isRetainAsPublished() || bridge, option.retainHandling().value(),
                    identifier);
            Broker.Granted granted = broker.subscribe(identity, subscription);
            if (!granted.granted()) {
                codes.add(v5() ? granted.code() : ReasonCode.FAILURE);
                continue;
            }
            stored.add(session.subscribed(subscription));
            codes.add(granted.code());
            retainedDeliveries.add(() -> broker.sendRetained(session, subscription, granted.isNew()));
        }
        whenStored(stored, () -> {
            ctx.writeAndFlush(new MqttSubAckMessage(
                    new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                    new MqttSubAckPayload(codes)));
            retainedDeliveries.forEach(Runnable::run);
        });
    }

    /** Runs {@code then} on this connection's thread once all of {@code stored} are committed. */
    private void whenStored(List<CompletableFuture<Void>> stored, Runnable then) {
        if (stored.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally())) {
            then.run();
            return;
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).whenCompleteAsync((ok, error) -> {
            if (error == null) {
                then.run();
            } else {
                disconnect(ReasonCode.UNSPECIFIED_ERROR, "the hub could not store the subscription change");
            }
        }, ctx.executor());
    }

    private void unsubscribe(MqttUnsubscribeMessage message) {
        int packetId = message.idAndPropertiesVariableHeader().messageId();
        List<Short> codes = new ArrayList<>();
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (String raw : message.payload().topics()) {
            SharedFilter filter = SharedFilter.parse(raw);
            boolean removed = filter.problem() == null && broker.unsubscribe(session.id(), filter.filter(), filter.group());
            if (removed) {
                stored.add(session.unsubscribed(raw, filter.group(), filter.filter()));
            }
            codes.add((short) (removed ? ReasonCode.SUCCESS
                    : filter.problem() != null ? ReasonCode.TOPIC_FILTER_INVALID : ReasonCode.NO_SUBSCRIPTION_EXISTED));
        }
        whenStored(stored, () -> ctx.writeAndFlush(
                MqttMessageBuilders.unsubAck().packetId(packetId).addReasonCodes(codes.toArray(Short[]::new)).build()));
    }

    // ---- leaving --------------------------------------------------------------------------------

    private void clientDisconnect(MqttMessage message) {
        closedByClient = true;
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            Long expiry = Properties5.unsigned(header.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                session.expirySeconds(expiry);
            }
            if (header.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL) {
                will = null;
            }
        } else {
            will = null;
        }
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        publishesThisRead = 0;
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (session == null) {
            return;
        }
        session.detach(this);
        broker.counters().disconnected();
        if (will != null && !takenOver) {
            publishWill(session.id(), will, Math.min(willDelaySeconds, session.expirySeconds()));
        }
        if (session.expirySeconds() == 0 && session.outbound() == null) {
            discard(session);
        }
    }

    private void publishWill(String clientId, BusMessage message, long delaySeconds) {
        if (delaySeconds <= 0) {
            broker.publish(clientId, message);
            return;
        }
        Future<?>[] scheduled = new Future<?>[1];
        scheduled[0] = ctx.channel().eventLoop().schedule(() -> {
            sessions.willDone(clientId, scheduled[0]);
            broker.publish(clientId, message);
        }, delaySeconds, TimeUnit.SECONDS);
        sessions.delayWill(clientId, scheduled[0]);
    }

    private void discard(Session gone) {
        if (sessions.remove(gone)) {
            broker.unregister(gone, gone.subscriptionList());
            gone.forget();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "nothing received within one and a half keep-alive periods");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            // A dropped connection or a client that does not trust the hub: the client's problem to report.
            LOG.debug("Connection {} failed: {}", context.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("Closing connection {} after an unexpected error: {}", context.channel().remoteAddress(), cause.toString());
        }
        context.close();
    }

    private void refuseUnreadable(Throwable cause) {
        if (session == null) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "unsupported protocol version");
            } else if (cause instanceof MqttIdentifierRejectedException) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
            } else {
                ctx.close();
            }
            return;
        }
        if (cause instanceof TooLongFrameException) {
            disconnect(ReasonCode.PACKET_TOO_LARGE, "packet larger than " + config.maxPacketSize() + " bytes");
        } else {
            disconnect(ReasonCode.MALFORMED_PACKET, String.valueOf(cause.getMessage()));
        }
    }

    /** Ends the connection from the broker's side, telling an MQTT 5 client why. */
    private void disconnect(int reasonCode, String reason) {
        LOG.debug("Disconnecting {}: {}", session == null ? ctx.channel().remoteAddress() : session.id(), reason);
        if (v5() && session != null) {
            ctx.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode((byte) reasonCode)
                    .properties(Properties5.reason(reason)).build()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    // ---- Outbound: what the session sends ---------------------------------------------------------

    @Override
    public void publish(int packetId, BusMessage message, List<Integer> subscriptionIds, boolean duplicate) {
        long size = Properties5.publishSizeAtMost(message, subscriptionIds, v5());
        if (size > maxOutgoingPacket) {
            // MQTT 5: a message larger than the client accepts is discarded as if delivered.
            if (packetId != 0) {
                ctx.channel().eventLoop().execute(() -> session.completed(packetId));
            }
            broker.counters().droppedTooLarge();
            return;
        }
        broker.counters().sent(message.payload().length);
        if (!v5()) {
            ctx.writeAndFlush(HandEncoded.publish311(ctx.alloc(), message, packetId, duplicate));
            return;
        }
        MqttQoS qos = MqttQoS.valueOf(message.qos().level());
        MqttPublishMessage out = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate, qos, message.retain(), 0),
                new MqttPublishVariableHeader(message.topic(), packetId,
                        v5() ? Properties5.forPublish(message, subscriptionIds) : MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(message.payload()));
        ctx.writeAndFlush(out);
    }

    @Override
    public boolean writable() {
        return ctx.channel().isWritable();
    }

    @Override
    public long unsentBytes() {
        // Netty tells the distance to the water mark that comes next; the pending bytes follow from it.
        Channel channel = ctx.channel();
        return channel.isWritable() ? HIGH_WATER_MARK - channel.bytesBeforeUnwritable()
                : channel.bytesBeforeWritable() + LOW_WATER_MARK;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (session != null && context.channel().isWritable()) {
            session.resume();
        }
        context.fireChannelWritabilityChanged();
    }

    /**
     * Called on this connection's thread while routing its publish: stop reading until the
     * subscriber catches up. A pause lasts at most {@link #MAX_PAUSE_MILLIS}, so two clients
     * feeding each other cannot stall for good; a client never waits for its own session.
     */
    @Override
    public void pauseFor(CongestedSubscriber congested) {
        if (congested == session) {
            return;
        }
        if (awaitedSubscribers++ == 0) {
            ctx.channel().config().setAutoRead(false);
            long pause = ++pauses;
            ctx.executor().schedule(() -> {
                if (pause == pauses && awaitedSubscribers > 0) {
                    resumeReading();
                }
            }, MAX_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
        long pause = pauses;
        congested.whenCaughtUp(() -> ctx.executor().execute(() -> {
            if (pause == pauses && --awaitedSubscribers == 0) {
                resumeReading();
            }
        }));
    }

    private void resumeReading() {
        awaitedSubscribers = 0;
        pauses++;
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void release(int packetId) {
        ctx.writeAndFlush(reply(MqttMessageType.PUBREL, packetId, ReasonCode.SUCCESS, null));
    }

    @Override
    public void revoked() {
        takenOver = true;
        ctx.executor().execute(() -> disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "this client's credential was revoked"));
    }

    @Override
    public void takenOver() {
        takenOver = true;
        ctx.executor().execute(() -> disconnect(ReasonCode.SESSION_TAKEN_OVER, "another connection took over this client id"));
    }

    private boolean v5() {
        return version == 5;
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
