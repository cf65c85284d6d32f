package io.hearth.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one load scenario against one MQTT broker and prints its figures as
 * {@code RESULT<TAB>key<TAB>label<TAB>value} lines, which bench/mqtt.sh joins into a table. Progress
 * and anything odd go to stderr. Every client speaks MQTT 3.1.1, the version most home devices use,
 * so neither broker gets a different flow-control setting (MQTT 5 Receive Maximum) than the other.
 *
 * <p>Usage: {@code mqtt-load SCENARIO --port P [--host H] [--messages N] [--timeout-s S] ...}; see
 * bench/README.md for the scenarios and their options.
 */
public final class MqttLoad {

    /**
     * Runs subscriber callbacks on the client's network thread. With the library's default (a separate
     * scheduler) a busy machine lets the client's QoS 0 queue overflow and the client itself drops
     * messages ("QoS 0 publish message dropped"), which would be counted against the broker. Inline,
     * a slow subscriber reads the socket more slowly instead, and TCP pushes back on the broker.
     */
    private static final Executor INLINE = Runnable::run;
    private static final long IDLE_MILLIS = 3_000; // a subscriber that hears nothing this long has all it will get

    private final String host;
    private final int port;
    private final Map<String, String> options;
    private final long deadlineNanos;
    private String runId = Long.toString(System.nanoTime(), 36); // client ids unique across runs on one broker
    /** While true, the scenario runs small and reports nothing: see {@link #run}. */
    private boolean priming;
    private final List<Mqtt3AsyncClient> clients = new ArrayList<>();

    private MqttLoad(Map<String, String> options) {
        this.options = options;
        this.host = options.getOrDefault("host", "127.0.0.1");
        this.port = intOption("port", 0);
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(intOption("timeout-s", 90));
        if (port <= 0) {
            throw new IllegalArgumentException("--port is required");
        }
    }

    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 == 0) {
            System.err.println("usage: mqtt-load qos1-fan-in|qos0-fan-in|qos0-fan-out|latency|offline-session|idle-connections"
                    + " --port P [--option value ...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int status = 0;
        MqttLoad load = null;
        try {
            load = new MqttLoad(options);
            load.run(args[0]);
        } catch (Exception e) {
            System.err.println("mqtt-load: " + args[0] + " failed: " + e);
            status = 1;
        } finally {
            if (load != null) {
                load.disconnectAll();
            }
        }
        System.exit(status); // the client's threads would otherwise keep the JVM up
    }

    /**
     * Runs the scenario, after an unmeasured pass a fifth its size (option {@code prime}, 1 by default). This
     * generator is a new JVM each time and compiles its own send and receive paths during its first
     * seconds, on the cores the broker runs on; without the pass, that compiling would count against
     * whichever broker needs those cores most. The pass uses client ids and topics of its own.
     */
    private void run(String scenario) throws Exception {
        if (intOption("prime", 1) == 1 && List.of("qos1-fan-in", "qos0-fan-in", "qos0-fan-out", "offline-session")
                .contains(scenario)) {
            String measured = runId;
            runId = measured + "p";
            priming = true;
            dispatch(scenario);
            disconnectAll();
            clients.clear();
            priming = false;
            runId = measured;
        }
        dispatch(scenario);
    }

    private void dispatch(String scenario) throws Exception {
        switch (scenario) {
            case "qos1-fan-in" -> qos1FanIn();
            case "qos0-fan-in" -> qos0FanIn();
            case "qos0-fan-out" -> qos0FanOut();
            case "latency" -> latency();
            case "offline-session" -> offlineSession();
            case "idle-connections" -> idleConnections();
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    // ---- scenarios ---------------------------------------------------------------------------

    /** 1: four QoS 1 publishers into one QoS 1 subscriber, as fast as PUBACKs allow. */
    private void qos1FanIn() throws Exception {
        int publishers = intOption("publishers", 4);
        int each = messages(25_000);
        Delivery d = fanIn(MqttQos.AT_LEAST_ONCE, publishers, each);
        String what = publishers + " pub -> 1 sub, " + publishers + "x" + each;
        result("s1.rate", "1 QoS1 fan-in " + what + ": delivered msg/s", d.rate());
        result("s1.lost", "1 QoS1 fan-in: lost (of " + d.expected + ")", d.expected - d.receipts.distinct());
    }

    /** 2: four QoS 0 publishers into one QoS 0 subscriber; QoS 0 may drop, so the delivered count is the figure. */
    private void qos0FanIn() throws Exception {
        int publishers = intOption("publishers", 4);
        int each = messages(100_000);
        Delivery d = fanIn(MqttQos.AT_MOST_ONCE, publishers, each);
        String what = publishers + " pub -> 1 sub, " + publishers + "x" + each;
        result("s2.delivered", "2 QoS0 fan-in " + what + ": delivered (of " + d.expected + ")", d.receipts.distinct());
        result("s2.rate", "2 QoS0 fan-in: delivered msg/s", d.rate());
    }

    /** 3: one QoS 0 publisher, four subscribers each getting every message. */
    private void qos0FanOut() throws Exception {
        int subscribers = intOption("subscribers", 4);
        int messages = messages(50_000);
        String topic = "bench/" + runId + "/fanout";
        List<Receipts> receipts = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Receipts r = new Receipts(1, 0, 0);
            receipts.add(r);
            subscribe(connected("sub-" + i, true, 60), topic, MqttQos.AT_MOST_ONCE, r);
        }
        Publisher publisher = new Publisher(0, connected("pub", true, 60), topic, MqttQos.AT_MOST_ONCE, messages, 0,
                intOption("window", 1_000), deadlineNanos);
        publish(List.of(publisher));
        double rateSum = 0;
        long lost = 0;
        for (Receipts r : receipts) {
            r.await(messages, publisher.completedNanos(), IDLE_MILLIS, deadlineNanos);
            rateSum += Stats.perSecond(r.distinct(), r.lastNanos() - publisher.startNanos());
            lost += messages - r.distinct();
        }
        result("s3.rate", "3 QoS0 fan-out 1 pub -> " + subscribers + " sub, " + messages + " msgs: msg/s per subscriber (mean)",
                rateSum / subscribers);
        result("s3.lost", "3 QoS0 fan-out: lost, all subscribers (of " + (long) messages * subscribers + ")", lost);
    }

    /**
     * 4: one QoS 1 publisher at a fixed rate, one QoS 1 subscriber; latency from the send time in the payload.
     * With {@code --compare-port}, the same publisher sends to a second broker too, each at {@code rate},
     * the two brokers in turn message by message. A stall of the machine then delays the messages of
     * both alike, so the difference between them is the brokers'. The compared broker's figures are
     * printed as COMPARED lines.
     */
    private void latency() throws Exception {
        int rate = intOption("rate", 5_000); // per broker
        int comparePort = intOption("compare-port", 0);
        List<Integer> ports = comparePort > 0 ? List.of(port, comparePort) : List.of(port);
        int warmup = rate * intOption("warmup-s", 2) * ports.size();
        int total = warmup + rate * intOption("seconds", 10) * ports.size();
        String topic = "bench/" + runId + "/latency";
        List<Receipts> receipts = new ArrayList<>();
        List<Mqtt3AsyncClient> publishers = new ArrayList<>();
        for (int brokerPort : ports) {
            Receipts r = new Receipts(1, total, warmup);
            subscribe(connected("sub", true, 60, brokerPort), topic, MqttQos.AT_LEAST_ONCE, r);
            receipts.add(r);
            publishers.add(connected("pub", true, 60, brokerPort));
        }
        Publisher publisher = new Publisher(0, publishers, topic, MqttQos.AT_LEAST_ONCE, total, rate * ports.size(),
                intOption("window", 10_000), deadlineNanos);
        publish(List.of(publisher));
        for (int side = 0; side < ports.size(); side++) {
            int expected = 0;
            for (int i = 0; i < total; i++) {
                expected += publisher.sideOf(i) == side ? 1 : 0;
            }
            Receipts r = receipts.get(side);
            r.await(expected, publisher.completedNanos(), IDLE_MILLIS, deadlineNanos);
            long[] latencies = r.latencies();
            String line = side == 0 ? "RESULT" : "COMPARED";
            String what = "4 latency QoS1 at " + rate + " msg/s";
            result(line, "s4.p50", what + ": p50 us", Stats.percentile(latencies, 50) / 1_000);
            result(line, "s4.p99", what + ": p99 us", Stats.percentile(latencies, 99) / 1_000);
            result(line, "s4.lost", what + ": lost (of " + expected + ")", expected - r.distinct());
        }
    }

    /**
     * 5: a subscriber with a persistent session (clean session false) subscribes and leaves; QoS 1
     * messages are published while it is away; then it comes back and collects what was kept.
     */
    private void offlineSession() throws Exception {
        int messages = messages(10_000);
        String topic = "bench/" + runId + "/offline";
        String subscriberId = "offline-sub";
        Mqtt3AsyncClient away = connected(subscriberId, false, 60);
        away.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        away.disconnect().get(10, TimeUnit.SECONDS);

        Publisher publisher = new Publisher(0, connected("pub", true, 60), topic, MqttQos.AT_LEAST_ONCE, messages, 0,
                intOption("window", 1_000), deadlineNanos);
        publish(List.of(publisher));

        // A new client instance, like a device after a reboot: only the broker remembers the session.
        Receipts r = new Receipts(1, 0, 0);
        Mqtt3AsyncClient back = newClient(subscriberId);
        back.publishes(MqttGlobalPublishFilter.ALL, p -> r.record(p.getPayloadAsBytes()), INLINE);
        long reconnected = System.nanoTime();
        Mqtt3ConnAck ack = back.connectWith().cleanSession(false).keepAlive(60).send().get(10, TimeUnit.SECONDS);
        if (!ack.isSessionPresent()) {
            info("offline-session: the broker answered the reconnect with session present = false");
        }
        r.await(messages, reconnected, IDLE_MILLIS, deadlineNanos);
        // End the session (a clean-session connect discards it), so later scenarios do not carry it along.
        back.disconnect().get(10, TimeUnit.SECONDS);
        connected(subscriberId, true, 60);
        result("s5.rate", "5 QoS1 to offline persistent session, " + messages + " msgs: publish msg/s (PUBACKed)",
                Stats.perSecond(publisher.sent(), publisher.completedNanos() - publisher.startNanos()));
        result("s5.kept", "5 offline session: delivered on reconnect (of " + messages + ")", r.distinct());
    }

    /** 6: many idle connections; the broker's memory before and after, per connection. */
    private void idleConnections() throws Exception {
        int count = intOption("connections", 10_000);
        int keepAlive = intOption("keep-alive", 600);
        int parallel = intOption("parallel", 200); // connects in flight; more only overflows accept queues
        BrokerProcess broker = new BrokerProcess(Long.parseLong(required("broker-pid")));
        boolean java = broker.isJava();
        SysHeap sysHeap = java ? null : new SysHeap(connected("sys", true, 60));

        long heapBefore = java ? broker.javaHeapUsedAfterGc() : sysHeap.fresh(deadlineNanos);
        long rssBefore = broker.rssBytes();

        Semaphore inFlight = new Semaphore(parallel);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        for (int i = 0; i < count && System.nanoTime() < deadlineNanos; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            newClient("idle-" + i).connectWith().cleanSession(true).keepAlive(keepAlive).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            connected.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        }
                        inFlight.release();
                    });
        }
        inFlight.tryAcquire(parallel, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (failed.get() > 0) {
            info("idle-connections: " + failed.get() + " connects failed; first: " + firstFailure.get());
        }
        Thread.sleep(2_000); // let the broker finish whatever the connects started

        long heapAfter = java ? broker.javaHeapUsedAfterGc() : sysHeap.fresh(deadlineNanos);
        long rssAfter = broker.rssBytes();
        int n = Math.max(1, connected.get());
        result("s6.connected", "6 idle connections, keep-alive " + keepAlive + ": connected (of " + count + ")", connected.get());
        result("s6.heap", "6 heap bytes per connection (Hearth: Java heap after GC; Mosquitto: $SYS heap)",
                (double) (heapAfter - heapBefore) / n);
        result("s6.rss", "6 RSS bytes per connection", (double) (rssAfter - rssBefore) / n);
        result("s6.heap-before", "6 heap used before, MB", heapBefore / 1e6);
        result("s6.heap-after", "6 heap used with all connected, MB", heapAfter / 1e6);
        result("s6.rss-before", "6 RSS before, MB", rssBefore / 1e6);
        result("s6.rss-after", "6 RSS with all connected, MB", rssAfter / 1e6);
    }

    // ---- building blocks -----------------------------------------------------------------------

    /** What a fan-in delivered: the subscriber's receipts and the publishers' start. */
    private record Delivery(Receipts receipts, long expected, long startNanos) {
        double rate() {
            return Stats.perSecond(receipts.distinct(), receipts.lastNanos() - startNanos);
        }
    }

    private Delivery fanIn(MqttQos qos, int publishers, int each) throws Exception {
        String topic = "bench/" + runId + "/fanin";
        Receipts r = new Receipts(publishers, 0, 0);
        subscribe(connected("sub", true, 60), topic + "/+", qos, r);
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            list.add(new Publisher(i, connected("pub-" + i, true, 60), topic + "/" + i, qos, each, 0,
                    intOption("window", 1_000), deadlineNanos));
        }
        publish(list);
        long lastCompleted = list.stream().mapToLong(Publisher::completedNanos).max().orElseThrow();
        long start = list.stream().mapToLong(Publisher::startNanos).min().orElseThrow();
        long expected = (long) publishers * each;
        r.await(expected, lastCompleted, IDLE_MILLIS, deadlineNanos);
        if (r.duplicates() > 0) {
            info("fan-in: " + r.duplicates() + " duplicate deliveries");
        }
        return new Delivery(r, expected, start);
    }

    /** Starts the publishers together and waits for them; reports any that did not finish cleanly. */
    private void publish(List<Publisher> publishers) throws InterruptedException {
        List<Thread> threads = publishers.stream().map(Publisher::start).toList();
        for (int i = 0; i < publishers.size(); i++) {
            Publisher p = publishers.get(i);
            boolean completed = p.awaitCompleted(threads.get(i));
            if (!completed || p.failed() > 0) {
                info("publisher " + i + " did not finish cleanly: " + p.sent() + " sent, " + p.failed()
                        + " failed, all completed before the deadline: " + completed);
            }
        }
    }

    private void subscribe(Mqtt3AsyncClient client, String filter, MqttQos qos, Receipts receipts) throws Exception {
        client.subscribeWith().topicFilter(filter).qos(qos).callback(p -> receipts.record(p.getPayloadAsBytes()))
                .executor(INLINE).send().get(10, TimeUnit.SECONDS);
    }

    private Mqtt3AsyncClient newClient(String name) {
        return newClient(name, port);
    }

    private Mqtt3AsyncClient newClient(String name, int brokerPort) {
        // All clients share the library's default Netty event loop, so 10,000 of them need no 10,000 threads.
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier("bench-" + runId + "-" + name)
                .serverHost(host).serverPort(brokerPort).buildAsync();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    private Mqtt3AsyncClient connected(String name, boolean cleanSession, int keepAlive) throws Exception {
        return connected(name, cleanSession, keepAlive, port);
    }

    private Mqtt3AsyncClient connected(String name, boolean cleanSession, int keepAlive, int brokerPort) throws Exception {
        Mqtt3AsyncClient client = newClient(name, brokerPort);
        client.connectWith().cleanSession(cleanSession).keepAlive(keepAlive).send().get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Disconnects every client still connected, waiting at most 15 s in all. */
    private void disconnectAll() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (clients) {
            for (Mqtt3AsyncClient client : clients) {
                if (client.getState().isConnected()) {
                    pending.add(client.disconnect().exceptionally(error -> null));
                }
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            info("not every client disconnected cleanly: " + e);
        }
    }

    /** Mosquitto's own count of allocated bytes, from its $SYS tree (needs sys_interval in its config). */
    private static final class SysHeap {
        private final AtomicLong bytes = new AtomicLong(-1);
        private final AtomicLong stamp = new AtomicLong();

        SysHeap(Mqtt3AsyncClient client) throws Exception {
            client.subscribeWith().topicFilter("$SYS/broker/heap/current").qos(MqttQos.AT_MOST_ONCE).callback(p -> {
                String text = new String(p.getPayloadAsBytes(), StandardCharsets.US_ASCII).replaceAll("[^0-9]", "");
                bytes.set(Long.parseLong(text));
                stamp.set(System.nanoTime());
            }).send().get(10, TimeUnit.SECONDS);
        }

        /** A value published after this call (Mosquitto publishes every sys_interval when it changed), or the latest. */
        long fresh(long deadlineNanos) throws InterruptedException {
            long asked = System.nanoTime();
            long until = Math.min(deadlineNanos, asked + TimeUnit.SECONDS.toNanos(5));
            while (stamp.get() <= asked && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            if (bytes.get() < 0) {
                throw new IllegalStateException("Mosquitto published no $SYS/broker/heap/current");
            }
            return bytes.get();
        }
    }

    /** The scenario's message count: option {@code messages}, or {@code orElse}; a fifth of it while priming. */
    private int messages(int orElse) {
        int messages = intOption("messages", orElse);
        return priming ? Math.max(1, messages / 5) : messages;
    }

    private void result(String key, String label, double value) {
        result("RESULT", key, label, value);
    }

    /** One figure on stdout: {@code line} (RESULT, or COMPARED for the compared broker), key, label, value. */
    private void result(String line, String key, String label, double value) {
        if (priming) {
            return;
        }
        System.out.println(String.format(Locale.ROOT, "%s\t%s\t%s\t%.3f", line, key, label, value));
    }

    private static void info(String message) {
        System.err.println(message);
    }

    private int intOption(String name, int fallback) {
        String value = options.get(name);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
