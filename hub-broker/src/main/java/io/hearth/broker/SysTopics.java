package io.hearth.broker;

import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.lifecycle.HubVersion;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker's figures as retained messages under {@code $SYS/broker/}, refreshed periodically.
 * Leading wildcards do not match {@code $} topics, so only clients that ask for them see them.
 */
final class SysTopics {

    static final String PREFIX = "$SYS/broker/";

    private final Broker broker;
    private final SessionRegistry sessions;

    SysTopics(Broker broker, SessionRegistry sessions) {
        this.broker = broker;
        this.sessions = sessions;
    }

    /** The current figures, by topic. */
    Map<String, String> figures() {
        BrokerCounters counters = broker.counters();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("version", "Hearth " + HubVersion.current());
        figures.put("uptime", (ManagementFactory.getRuntimeMXBean().getUptime() / 1000) + " seconds");
        figures.put("clients/connected", Long.toString(counters.clientsConnected()));
        figures.put("sessions", Integer.toString(sessions.size()));
        figures.put("subscriptions/count", Integer.toString(broker.subscriptionCount()));
        figures.put("retained messages/count", Integer.toString(broker.retainedCount()));
        figures.put("messages/received", Long.toString(counters.messagesReceived()));
        figures.put("messages/sent", Long.toString(counters.messagesSent()));
        figures.put("bytes/received", Long.toString(counters.bytesReceived()));
        figures.put("bytes/sent", Long.toString(counters.bytesSent()));
        figures.put("dropped/queue-full", Long.toString(counters.droppedQueueFullCount()));
        figures.put("dropped/expired", Long.toString(counters.droppedExpiredCount()));
        figures.put("dropped/qos0-offline", Long.toString(counters.droppedQos0OfflineCount()));
        figures.put("dropped/qos0-slow", Long.toString(counters.droppedQos0SlowCount()));
        figures.put("dropped/too-large", Long.toString(counters.droppedTooLargeCount()));
        return figures;
    }

    void publish() {
        figures().forEach((topic, value) -> broker.publish("$SYS", BusMessage.of(PREFIX + topic, value, Qos.AT_MOST_ONCE, true)));
    }
}
