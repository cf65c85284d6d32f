package io.hearth.core.config;

import java.util.List;

/**
 * The embedded broker's listeners, limits and configured access rules. A port of 0 turns its listener off.
 *
 * @param maxQueuedMessages QoS 1/2 messages a session keeps for its client while it is away (or its
 *     receive window is full); more are dropped and counted
 * @param connectRateLimit new connections per second one network address may open (bursts of twice
 *     as many); 0 for no limit
 * @param maxQos0Backlog bytes waiting to be written to a connected client beyond which QoS 0 messages
 *     to it are dropped (and counted) rather than buffered
 * @param maxRetainedPerDevice retained messages one device identity may keep in the broker; a
 *     retained publish beyond it is refused (MQTT 5: PUBACK 0x97)
 * @param maxRetainedBytesPerDevice bytes of retained payload one device identity may keep, likewise
 */
public record MqttConfig(int port, int tlsPort, int websocketPort, boolean allowAnonymous, int maxKeepAlive,
                         int maxPacketSize, int receiveMaximum, int maxConnections, int maxQueuedMessages,
                         List<AclRule> acl, int connectRateLimit, int maxQos0Backlog, int maxRetainedPerDevice,
                         int maxRetainedBytesPerDevice) {

    public static final int DEFAULT_CONNECT_RATE_LIMIT = 50;
    public static final int DEFAULT_MAX_QOS0_BACKLOG = 1024 * 1024;
    public static final int DEFAULT_MAX_RETAINED_PER_DEVICE = 1_000;
    public static final int DEFAULT_MAX_RETAINED_BYTES_PER_DEVICE = 4 * 1024 * 1024;

    /**
     * The highest {@code max-queued-messages}: with the packet size limit it bounds what one absent
     * client can make the hub hold, in memory and in the database.
     */
    public static final int MAX_QUEUED_MESSAGES_LIMIT = 1_000_000;

    /** The largest packet MQTT can encode: a four-byte Remaining Length plus the fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    public MqttConfig {
        ConfigChecks.port(port, "port");
        ConfigChecks.port(tlsPort, "tls-port");
        ConfigChecks.port(websocketPort, "websocket-port");
        ConfigChecks.range(maxKeepAlive, "max-keep-alive", 1, 65535);
        ConfigChecks.range(maxPacketSize, "max-packet-size", 256, PROTOCOL_MAX_PACKET_SIZE);
        ConfigChecks.range(receiveMaximum, "receive-maximum", 1, 65535);
        ConfigChecks.range(maxConnections, "max-connections", 1, Integer.MAX_VALUE);
        ConfigChecks.range(maxQueuedMessages, "max-queued-messages", 1, MAX_QUEUED_MESSAGES_LIMIT);
        acl = ConfigChecks.list(acl, "acl");
        ConfigChecks.range(connectRateLimit, "connect-rate-limit", 0, 1_000_000);
        ConfigChecks.range(maxQos0Backlog, "max-qos0-backlog", 64 * 1024, 1024 * 1024 * 1024);
        ConfigChecks.range(maxRetainedPerDevice, "max-retained-per-device", 1, 1_000_000);
        ConfigChecks.range(maxRetainedBytesPerDevice, "max-retained-bytes-per-device", 1024, 1024 * 1024 * 1024);
    }

    /** With the default retained quota per device. */
    public MqttConfig(int port, int tlsPort, int websocketPort, boolean allowAnonymous, int maxKeepAlive,
                      int maxPacketSize, int receiveMaximum, int maxConnections, int maxQueuedMessages,
                      List<AclRule> acl, int connectRateLimit, int maxQos0Backlog) {
        this(port, tlsPort, websocketPort, allowAnonymous, maxKeepAlive, maxPacketSize, receiveMaximum, maxConnections,
                maxQueuedMessages, acl, connectRateLimit, maxQos0Backlog, DEFAULT_MAX_RETAINED_PER_DEVICE,
                DEFAULT_MAX_RETAINED_BYTES_PER_DEVICE);
    }

    /** With the default connection rate limit and QoS 0 backlog. */
    public MqttConfig(int port, int tlsPort, int websocketPort, boolean allowAnonymous, int maxKeepAlive,
                      int maxPacketSize, int receiveMaximum, int maxConnections, int maxQueuedMessages,
                      List<AclRule> acl) {
        this(port, tlsPort, websocketPort, allowAnonymous, maxKeepAlive, maxPacketSize, receiveMaximum, maxConnections,
                maxQueuedMessages, acl, DEFAULT_CONNECT_RATE_LIMIT, DEFAULT_MAX_QOS0_BACKLOG);
    }

    public static MqttConfig defaults() {
        return new MqttConfig(1883, 8883, 8083, false, 1200, 1_048_576, 256, 10_000, 10_000, List.of());
    }

    public MqttConfig withPorts(int newPort, int newTlsPort, int newWebsocketPort) {
        return new MqttConfig(newPort, newTlsPort, newWebsocketPort, allowAnonymous, maxKeepAlive, maxPacketSize,
                receiveMaximum, maxConnections, maxQueuedMessages, acl, connectRateLimit, maxQos0Backlog,
                maxRetainedPerDevice, maxRetainedBytesPerDevice);
    }

    public MqttConfig withAllowAnonymous(boolean allow) {
        return new MqttConfig(port, tlsPort, websocketPort, allow, maxKeepAlive, maxPacketSize, receiveMaximum,
                maxConnections, maxQueuedMessages, acl, connectRateLimit, maxQos0Backlog, maxRetainedPerDevice,
                maxRetainedBytesPerDevice);
    }

    public MqttConfig withConnectRateLimit(int perSecond) {
        return new MqttConfig(port, tlsPort, websocketPort, allowAnonymous, maxKeepAlive, maxPacketSize, receiveMaximum,
                maxConnections, maxQueuedMessages, acl, perSecond, maxQos0Backlog, maxRetainedPerDevice,
                maxRetainedBytesPerDevice);
    }

    public MqttConfig withRetainedQuota(int messages, int bytes) {
        return new MqttConfig(port, tlsPort, websocketPort, allowAnonymous, maxKeepAlive, maxPacketSize, receiveMaximum,
                maxConnections, maxQueuedMessages, acl, connectRateLimit, maxQos0Backlog, messages, bytes);
    }
}
