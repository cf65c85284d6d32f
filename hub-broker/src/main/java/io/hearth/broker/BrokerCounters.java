package io.hearth.broker;

import java.util.concurrent.atomic.LongAdder;

/** What the broker has done since it started, for {@code $SYS/broker/...} and health. */
public final class BrokerCounters {

    final LongAdder clientsConnected = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedExpired = new LongAdder();
    final LongAdder droppedQos0Offline = new LongAdder();
    final LongAdder droppedQos0Slow = new LongAdder();
    final LongAdder droppedTooLarge = new LongAdder();

    public long clientsConnected() {
        return clientsConnected.sum();
    }

    public long messagesReceived() {
        return messagesReceived.sum();
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Messages not delivered, by reason: session queue full, expired while queued, QoS 0 to an offline session. */
    public long droppedQueueFullCount() {
        return droppedQueueFull.sum();
    }

    public long droppedExpiredCount() {
        return droppedExpired.sum();
    }

    public long droppedQos0OfflineCount() {
        return droppedQos0Offline.sum();
    }

    /** Messages larger than the subscriber's Maximum Packet Size, dropped as MQTT 5 requires. */
    public long droppedTooLargeCount() {
        return droppedTooLarge.sum();
    }

    /** QoS 0 messages dropped because the subscriber's send buffer was full. */
    public long droppedQos0SlowCount() {
        return droppedQos0Slow.sum();
    }

    public void droppedQueueFull() {
        droppedQueueFull.increment();
    }

    public void droppedExpired() {
        droppedExpired.increment();
    }

    public void droppedQos0Offline() {
        droppedQos0Offline.increment();
    }

    public void droppedQos0Slow() {
        droppedQos0Slow.increment();
    }

    public void droppedTooLarge() {
        droppedTooLarge.increment();
    }

    public void connected() {
        clientsConnected.increment();
    }

    public void disconnected() {
        clientsConnected.decrement();
    }

    public void sent(int bytes) {
        messagesSent.increment();
        bytesSent.add(bytes);
    }

    public void received(int bytes) {
        messagesReceived.increment();
        bytesReceived.add(bytes);
    }
}
