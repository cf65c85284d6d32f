package io.hearth.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Journal;
import io.hearth.core.store.Store;
import io.hearth.shadow.history.HistoryPoint;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device shadows: get, update and delete with the AWS IoT rules, for the MQTT API and the REST
 * controllers alike. Requests run one at a time on one thread against a cache of recently used
 * documents, so versions are assigned without locks; each change is committed through a group-commit
 * journal, and only then is it answered and announced ({@code /update/accepted}, {@code /delta},
 * {@code /documents}, listeners), in commit order.
 */
@Singleton
public final class ShadowService implements HubComponent {

    /** Limit on desired plus reported of one shadow, measured on the merged result. */
    public static final int MAX_STATE_BYTES = 8 * 1024;
    /** Requests waiting beyond this are refused with 429 instead of growing the queue without end. */
    static final int MAX_PENDING = 20_000;
    /**
     * JSON characters of documents kept in memory (a few times that in heap); the others are read
     * from the database when asked for. Ten thousand typical device shadows fit.
     */
    static final long CACHE_BUDGET = 6L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ShadowService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ShadowError TOO_MANY = new ShadowError(429, "Too many requests");

    private final Store store;
    private final Bus bus;
    private final Journal journal;
    private final DesiredStateRules rules;
    private final List<ShadowListener> listeners = new CopyOnWriteArrayList<>();
    private final DocumentCache cache = new DocumentCache(CACHE_BUDGET);
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile ShadowStore shadows;
    private volatile BusClient client;
    private volatile ExecutorService worker;
    private volatile ExecutorService events;

    public ShadowService(Store store, Bus bus, DesiredStateRules rules) {
        this.store = store;
        this.bus = bus;
        this.journal = store.journal();
        this.rules = rules;
    }

    @Override
    public String name() {
        return "shadows";
    }

    @Override
    public int startOrder() {
        return SHADOWS;
    }

    @Override
    public void start() {
        shadows = new ShadowStore(store.dataSource());
        client = bus.connect("shadow-service");
        worker = Executors.newSingleThreadExecutor(r -> daemon(r, "shadow-worker"));
        events = Executors.newSingleThreadExecutor(r -> daemon(r, "shadow-events"));
    }

    @Override
    public void stop() {
        ExecutorService requests = worker;
        if (requests == null) {
            return;
        }
        awaitQuietly(requests);
        journal.flush();
        awaitQuietly(events);
        client.close();
        worker = null;
    }

    @Override
    public Health health() {
        if (worker == null) {
            return Health.starting();
        }
        return Health.up(Map.of("accepted", accepted.get(), "rejected", rejected.get(), "pending", pending.get(),
                "cached", cache.size()));
    }

    /** Registers a listener for committed changes; call before requests flow (at start). */
    public void addListener(ShadowListener listener) {
        listeners.add(listener);
    }

    /** {@code /get}: the whole document with its delta. Fails with {@link ShadowException} (404 when absent). */
    public CompletableFuture<ShadowReply> get(ShadowName name, byte[] payload) {
        return submit(() -> {
            ShadowRequest request = ShadowRequest.plain(payload);
            ShadowDocument document = stored(name).document();
            if (document == null) {
                throw new ShadowException(ShadowError.notFound(name), request.clientToken());
            }
            // Answered after everything before it is committed: a GET never shows a version that a
            // crash could still take back.
            return commit(name, null, List.of(),
                    () -> new ShadowReply(document.toGetResponse(request.clientToken(), nowSeconds()), document));
        });
    }

    /** {@code /update}: merges, versions and commits, then answers and announces the change. */
    public CompletableFuture<ShadowReply> update(ShadowName name, byte[] payload) {
        return submit(() -> applyUpdate(name, ShadowRequest.update(payload)));
    }

    /** {@code /delete}: removes the document; its version keeps counting when it is created again. */
    public CompletableFuture<ShadowReply> delete(ShadowName name, byte[] payload) {
        return submit(() -> {
            ShadowRequest request = ShadowRequest.plain(payload);
            ShadowStore.Stored stored = stored(name);
            if (stored.document() == null) {
                throw new ShadowException(ShadowError.notFound(name), request.clientToken());
            }
            if (request.version() != null && request.version() != stored.version()) {
                throw new ShadowException(ShadowError.VERSION_CONFLICT, request.clientToken());
            }
            long now = nowSeconds();
            cache.put(name, ShadowStore.Stored.deleted(stored.version()));
            ObjectNode body = NODES.objectNode().put("version", stored.version()).put("timestamp", now);
            if (request.clientToken() != null) {
                body.put("clientToken", request.clientToken());
            }
            ShadowStore.Row row = ShadowStore.tombstone(name, stored.version(), now);
            return commit(name, row, List.of(), () -> {
                publish(name.topicPrefix() + "/delete/accepted", body);
                announce(name, stored.document(), null);
                return new ShadowReply(body, null);
            });
        });
    }

    /** The named shadows of {@code thing} that exist now, for listings. */
    public List<ShadowName> shadowsOf(String thing) {
        try {
            return shadows.shadowsOf(thing);
        } catch (SQLException e) {
            throw new ShadowException(ShadowError.INTERNAL, null);
        }
    }

    /** The committed documents of several shadows at once; absent ones are left out. */
    public CompletableFuture<Map<ShadowName, ShadowDocument>> documents(List<ShadowName> names) {
        return submit(() -> {
            Map<ShadowName, ShadowDocument> found = new LinkedHashMap<>();
            for (ShadowName name : names) {
                ShadowDocument document = stored(name).document();
                if (document != null) {
                    found.put(name, document);
                }
            }
            return journal.submit(connection -> { }).thenApplyAsync(committed -> found, events);
        });
    }

    private CompletableFuture<ShadowReply> applyUpdate(ShadowName name, ShadowRequest request) {
        ShadowStore.Stored stored = stored(name);
        String token = request.clientToken();
        if (request.version() != null && request.version() != stored.version()) {
            throw new ShadowException(ShadowError.VERSION_CONFLICT, token);
        }
        if (request.desired() != null && request.desired() != ShadowRequest.CLEAR) {
            String problem = rules.problemWith(name, request.desired());
            if (problem != null) {
                throw new ShadowException(ShadowError.refusedKey(problem), token);
            }
        }
        ShadowDocument before = stored.document();
        long nowMillis = System.currentTimeMillis();
        long now = nowMillis / 1000;
        ShadowDocument after = merged(before, request, stored.version() + 1, now);
        ShadowStore.Row row = ShadowStore.row(name, after);
        if (row.stateBytes() > MAX_STATE_BYTES) {
            throw new ShadowException(ShadowError.TOO_LARGE, token);
        }
        cache.put(name, new ShadowStore.Stored(after, after.version(), row.state().length() + row.metadata().length()));
        ObjectNode acceptedBody = acceptedBody(request, after, now);
        ObjectNode deltaBody = deltaBody(request, after, now);
        ObjectNode documentsBody = documentsBody(before, after, token, now);
        List<HistoryPoint> history = history(name, before, request, nowMillis);
        return commit(name, row, history, () -> {
            publish(name.topicPrefix() + "/update/accepted", acceptedBody);
            if (deltaBody != null) {
                publish(name.topicPrefix() + "/update/delta", deltaBody);
            }
            publish(name.topicPrefix() + "/update/documents", documentsBody);
            announce(name, before, after);
            return new ShadowReply(acceptedBody, after);
        });
    }

    private static ShadowDocument merged(ShadowDocument before, ShadowRequest request, long version, long now) {
        ObjectNode desired = null;
        ObjectNode reported = null;
        ObjectNode desiredMeta = null;
        ObjectNode reportedMeta = null;
        if (before != null && !request.clearAll()) {
            desired = copy(before.desired());
            desiredMeta = copy(before.desiredMetadata());
            reported = copy(before.reported());
            reportedMeta = copy(before.reportedMetadata());
        }
        if (request.desired() == ShadowRequest.CLEAR) {
            desired = null;
            desiredMeta = null;
        } else if (request.desired() != null) {
            desired = desired == null ? NODES.objectNode() : desired;
            desiredMeta = desiredMeta == null ? NODES.objectNode() : desiredMeta;
            StateMerge.apply(desired, desiredMeta, request.desired(), now);
        }
        if (request.reported() == ShadowRequest.CLEAR) {
            reported = null;
            reportedMeta = null;
        } else if (request.reported() != null) {
            reported = reported == null ? NODES.objectNode() : reported;
            reportedMeta = reportedMeta == null ? NODES.objectNode() : reportedMeta;
            StateMerge.apply(reported, reportedMeta, request.reported(), now);
        }
        boolean noDesired = desired == null || desired.isEmpty();
        boolean noReported = reported == null || reported.isEmpty();
        return new ShadowDocument(noDesired ? null : desired, noReported ? null : reported,
                noDesired ? null : desiredMeta, noReported ? null : reportedMeta, version, now);
    }

    /** {@code /update/accepted} echoes only what the request held, with its metadata. */
    private static ObjectNode acceptedBody(ShadowRequest request, ShadowDocument after, long now) {
        ObjectNode body = NODES.objectNode();
        if (request.clearAll()) {
            body.set("state", NullNode.getInstance());
        } else {
            ObjectNode state = body.putObject("state");
            ObjectNode metadata = NODES.objectNode();
            echo(state, metadata, "desired", request.desired(), now);
            echo(state, metadata, "reported", request.reported(), now);
            if (!metadata.isEmpty()) {
                body.set("metadata", metadata);
            }
        }
        body.put("version", after.version());
        body.put("timestamp", now);
        if (request.clientToken() != null) {
            body.put("clientToken", request.clientToken());
        }
        return body;
    }

    private static void echo(ObjectNode state, ObjectNode metadata, String section, ObjectNode patch, long now) {
        if (patch == ShadowRequest.CLEAR) {
            state.set(section, NullNode.getInstance());
        } else if (patch != null) {
            state.set(section, patch);
            metadata.set(section, StateMerge.metadataOf(patch, now));
        }
    }

    /**
     * {@code /update/delta} follows an update that set desired state while the device's reported
     * state differs; it lists every differing key. An update of reported state alone announces no
     * delta, so a device reporting a local change (a button press) is not told to undo it.
     */
    private static ObjectNode deltaBody(ShadowRequest request, ShadowDocument after, long now) {
        if (request.desired() == null || request.desired() == ShadowRequest.CLEAR || request.desired().isEmpty()) {
            return null;
        }
        ObjectNode delta = after.delta();
        if (delta == null) {
            return null;
        }
        ObjectNode body = NODES.objectNode();
        body.set("state", delta);
        body.set("metadata", StateMerge.metadataFor(delta, after.desiredMetadata()));
        body.put("version", after.version());
        body.put("timestamp", now);
        if (request.clientToken() != null) {
            body.put("clientToken", request.clientToken());
        }
        return body;
    }

    private static ObjectNode documentsBody(ShadowDocument before, ShadowDocument after, String token, long now) {
        ObjectNode body = NODES.objectNode();
        if (before != null) {
            body.set("previous", before.toSnapshot());
        }
        body.set("current", after.toSnapshot());
        body.put("timestamp", now);
        if (token != null) {
            body.put("clientToken", token);
        }
        return body;
    }

    /** Changed numeric and boolean reported values of a device's classic shadow, for its charts. */
    private static List<HistoryPoint> history(ShadowName name, ShadowDocument before, ShadowRequest request, long at) {
        if (!name.isClassic() || request.reported() == null || request.reported() == ShadowRequest.CLEAR) {
            return List.of();
        }
        List<HistoryPoint> points = new ArrayList<>();
        for (String key : StateMerge.changedKeys(before == null ? null : before.reported(), request.reported())) {
            JsonNode value = request.reported().get(key);
            if (value.isNumber()) {
                points.add(new HistoryPoint(name.thing(), key, at, value.doubleValue(), false));
            } else if (value.isBoolean()) {
                points.add(new HistoryPoint(name.thing(), key, at, value.booleanValue() ? 1 : 0, true));
            }
        }
        return points;
    }

    private interface Announcement {
        ShadowReply run();
    }

    /**
     * Writes {@code row} (if any) through the journal; once committed, runs {@code announcement} on the event
     * thread, in commit order. A failed write drops the cached document so the stored one is read again.
     */
    private CompletableFuture<ShadowReply> commit(ShadowName name, ShadowStore.Row row, List<HistoryPoint> history,
                                                  Announcement announcement) {
        CompletableFuture<ShadowReply> reply = new CompletableFuture<>();
        Journal.Change change = row == null ? connection -> { } : connection -> ShadowStore.write(connection, row, history);
        journal.submit(change).whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
                LOG.error("Shadow {} could not be stored: {}", name, failure.getMessage());
                worker.execute(() -> cache.remove(name));
                reply.completeExceptionally(new ShadowException(ShadowError.INTERNAL, null));
                return;
            }
            try {
                reply.complete(announcement.run());
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        }, events);
        return reply;
    }

    private interface Work<T> {
        CompletableFuture<T> run();
    }

    private <T> CompletableFuture<T> submit(Work<T> work) {
        ExecutorService requests = worker;
        if (requests == null) {
            return CompletableFuture.failedFuture(new ShadowException(ShadowError.INTERNAL, null));
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            rejected.incrementAndGet();
            return CompletableFuture.failedFuture(new ShadowException(TOO_MANY, null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            requests.execute(() -> {
                pending.decrementAndGet();
                try {
                    work.run().whenComplete((value, failure) -> {
                        if (failure == null) {
                            accepted.incrementAndGet();
                            result.complete(value);
                        } else {
                            rejected.incrementAndGet();
                            result.completeExceptionally(failure);
                        }
                    });
                } catch (ShadowException e) {
                    rejected.incrementAndGet();
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    LOG.error("A shadow request failed", e);
                    rejected.incrementAndGet();
                    result.completeExceptionally(new ShadowException(ShadowError.INTERNAL, null));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
            result.completeExceptionally(new ShadowException(ShadowError.INTERNAL, null));
        }
        return result;
    }

    /** The shadow as cached or stored. Runs on the worker thread only. */
    private ShadowStore.Stored stored(ShadowName name) {
        ShadowStore.Stored cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try {
            ShadowStore.Stored loaded = shadows.load(name);
            cache.put(name, loaded);
            return loaded;
        } catch (SQLException e) {
            LOG.error("Shadow {} could not be read: {}", name, e.getMessage());
            throw new ShadowException(ShadowError.INTERNAL, null);
        }
    }

    /** Publishes a response of the MQTT shadow API. */
    void publish(String topic, ObjectNode body) {
        client.publish(BusMessage.of(topic, body.toString().getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("Publishing {} failed: {}", topic, failure.getMessage());
                    }
                });
    }

    private void announce(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        for (ShadowListener listener : listeners) {
            try {
                listener.shadowChanged(name, previous, current);
            } catch (RuntimeException e) {
                LOG.error("A shadow listener failed on {}", name, e);
            }
        }
    }

    private static ObjectNode copy(ObjectNode node) {
        return node == null ? null : node.deepCopy();
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void awaitQuietly(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(3, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
