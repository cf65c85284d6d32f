package io.hearth.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load for the shadow service over MQTT 5, as devices would make it: QoS 1 updates to many things'
 * {@code $aws/things/THING/shadow/update}, answered on {@code /update/accepted}.
 * <ul>
 * <li>{@code throughput HOST PORT THINGS UPDATES CLIENTS}: every client sends its share as fast as
 * its window of unanswered updates allows; prints accepted updates per second.</li>
 * <li>{@code latency HOST PORT THINGS RATE SECONDS}: one client at a fixed rate; prints the time from
 * publishing an update to receiving its accepted answer (p50, p99, max, in microseconds).</li>
 * </ul>
 */
public final class ShadowLoad {

    private static final int WINDOW = 200;
    /**
     * With {@code SHADOW_LOAD_SLOW_MS} set, every measured update at least that slow is printed to
     * stderr with the time its answer came, to be matched against the hub's GC log and recordings.
     */
    private static final long SLOW_MICROS = Long.parseLong(System.getenv().getOrDefault("SHADOW_LOAD_SLOW_MS", "0")) * 1_000;

    private ShadowLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6 || !(args[0].equals("throughput") || args[0].equals("latency"))) {
            System.err.println("usage: ShadowLoad throughput HOST PORT THINGS UPDATES CLIENTS");
            System.err.println("       ShadowLoad latency HOST PORT THINGS RATE SECONDS");
            System.exit(2);
        }
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int things = Integer.parseInt(args[3]);
        try {
            if (args[0].equals("throughput")) {
                throughput(host, port, things, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            } else {
                latency(host, port, things, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            }
        } catch (Exception e) {
            // The client's threads would keep the JVM alive after a failure.
            System.err.println("ShadowLoad failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** A client whose accepted answers (matched by clientToken) release its window and are counted. */
    private static final class Device {
        final Mqtt5AsyncClient client;
        final Semaphore window = new Semaphore(WINDOW);
        final ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final String id;
        volatile long[] latencies = new long[0];
        final AtomicLong measured = new AtomicLong();

        Device(String host, int port, String id, java.util.List<String> things) throws Exception {
            this.id = id;
            client = Mqtt5Client.builder().identifier(id).serverHost(host).serverPort(port).buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                String body = StandardCharsets.UTF_8.decode(publish.getPayload().orElseThrow()).toString();
                int start = body.indexOf("\"clientToken\":\"") + 15;
                String token = body.substring(start, body.indexOf('"', start));
                Long sent = sentAt.remove(token);
                if (sent == null) {
                    return;
                }
                if (publish.getTopic().toString().endsWith("/accepted")) {
                    accepted.incrementAndGet();
                    long index = measured.getAndIncrement();
                    long[] record = latencies;
                    if (index < record.length) {
                        long micros = (System.nanoTime() - sent) / 1_000;
                        record[(int) index] = micros;
                        if (SLOW_MICROS > 0 && micros >= SLOW_MICROS) {
                            System.err.println("slow " + java.time.LocalTime.now() + " " + micros / 1000 + " ms");
                        }
                    }
                } else {
                    rejected.incrementAndGet();
                }
                window.release();
            });
            client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
            // Like a real device, each client hears only its own things' answers.
            java.util.List<java.util.concurrent.CompletableFuture<?>> subscribed = new java.util.ArrayList<>();
            for (String thing : things) {
                for (String answer : new String[] {"accepted", "rejected"}) {
                    subscribed.add(client.subscribeWith().topicFilter("$aws/things/" + thing + "/shadow/update/" + answer)
                            .qos(MqttQos.AT_LEAST_ONCE).send());
                }
            }
            java.util.concurrent.CompletableFuture.allOf(subscribed.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(60, TimeUnit.SECONDS);
        }

        void update(String thing, long sequence, int value) throws InterruptedException {
            window.acquire();
            String token = id + "-" + sequence;
            sentAt.put(token, System.nanoTime());
            String body = "{\"state\":{\"reported\":{\"temperature\":" + (18 + value % 80 / 10.0) + ",\"on\":" + (value % 2 == 0)
                    + "}},\"clientToken\":\"" + token + "\"}";
            client.publishWith().topic("$aws/things/" + thing + "/shadow/update").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(body.getBytes(StandardCharsets.UTF_8)).send();
        }

        boolean drained(long timeoutMillis) throws InterruptedException {
            return window.tryAcquire(WINDOW, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static void throughput(String host, int port, int things, int updates, int clients) throws Exception {
        if (things < clients) {
            throw new IllegalArgumentException("need at least one thing per client");
        }
        Device[] devices = new Device[clients];
        for (int c = 0; c < clients; c++) {
            java.util.List<String> owned = new java.util.ArrayList<>();
            for (int t = c; t < things; t += clients) {
                owned.add("bench-" + t);
            }
            devices[c] = new Device(host, port, "shadow-load-" + c, owned);
        }
        Thread[] senders = new Thread[clients];
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Device device = devices[c];
            int first = c;
            senders[c] = new Thread(() -> {
                try {
                    // Client c owns things c, c + clients, c + 2 clients, ...
                    int owned = (things - first + clients - 1) / clients;
                    for (long i = 0; i < updates / clients; i++) {
                        device.update("bench-" + (first + (i % owned) * clients), i, (int) i);
                    }
                    device.drained(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            senders[c].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        long nanos = System.nanoTime() - start;
        long accepted = 0;
        long rejected = 0;
        for (Device device : devices) {
            accepted += device.accepted.get();
            rejected += device.rejected.get();
            device.client.disconnect();
        }
        System.out.printf(Locale.ROOT, "accepted=%d rejected=%d seconds=%.2f accepted_per_s=%.0f%n", accepted, rejected,
                nanos / 1e9, accepted * 1e9 / nanos);
    }

    private static void latency(String host, int port, int things, int rate, int seconds) throws Exception {
        java.util.List<String> owned = new java.util.ArrayList<>();
        for (int t = 0; t < things; t++) {
            owned.add("bench-" + t);
        }
        Device device = new Device(host, port, "shadow-latency", owned);
        int warmup = rate * 2;
        int total = warmup + rate * seconds;
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            if (i == warmup) {
                device.drained(10_000);
                device.window.release(WINDOW);
                device.measured.set(0);
                device.latencies = new long[total - warmup];
                start = System.nanoTime() - i * period;
            }
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            device.update("bench-" + (i % things), i, i);
        }
        device.drained(30_000);
        long[] latencies = java.util.Arrays.copyOf(device.latencies, (int) Math.min(device.measured.get(), device.latencies.length));
        System.out.printf(Locale.ROOT, "updates=%d rejected=%d p50_us=%.0f p99_us=%.0f max_us=%.0f%n", latencies.length,
                device.rejected.get(), Stats.percentile(latencies, 50), Stats.percentile(latencies, 99),
                Stats.percentile(latencies, 100));
        device.client.disconnect();
    }
}
