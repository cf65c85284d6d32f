package io.hearth.cloud.sync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.Federation;
import io.hearth.core.cloud.DevicePermission;
import io.hearth.cloud.policy.RemotePolicy;
import io.hearth.cloud.projection.UpstreamTopics;
import io.hearth.cloud.upstream.UpstreamMessage;
import io.hearth.cloud.upstream.UpstreamSession;
import io.hearth.core.device.DeviceId;
import io.hearth.core.store.Journal;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowException;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowReply;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRecord;
import io.hearth.shadow.device.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mode: aws-shadow}: each visible device's shadow is kept equal to the named shadow of the
 * same name on an AWS-IoT-compatible shadow service upstream. A sync reads both sides and merges
 * them three ways against the state agreed at the last sync: the cloud wins desired state, the hub
 * wins reported state (and desired state of devices the owner did not open to remote control);
 * every write carries the version it was based on, and a 409 on either side starts the sync of that
 * device over. Syncs run one at a time on one thread. A reconnect syncs only what changed (local
 * changes are remembered durably; the cloud's changes arrive on the hub's persistent session); a
 * full comparison of every shadow runs once per start and at most once per {@code fullSyncEvery},
 * paced, so link flaps never turn into sync storms.
 */
public final class ShadowSync implements Federation {

    static final int MAX_ATTEMPTS = 5;
    private static final String HUB = "$hub";
    private static final Logger LOG = LoggerFactory.getLogger(ShadowSync.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final UpstreamTopics topics;
    private final ShadowService shadows;
    private final DeviceRegistry registry;
    private final RemotePolicy policy;
    private final SyncRecords records;
    private final Supplier<ObjectNode> hubStatus;
    private final Duration fullSyncEvery;
    private final Duration pace;
    private final CloudShadowClient cloud;
    private final SyncQueue queue = new SyncQueue();
    /** Local versions the sync itself produced; their change events need no sync back. */
    private final Map<String, Long> ownLocalWrites = new ConcurrentHashMap<>();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong fullSyncs = new AtomicLong();
    private volatile long lastFullSync = Long.MIN_VALUE;
    private volatile ObjectNode hubSent;
    private volatile boolean running;
    private volatile String lastProblem;
    private Thread worker;

    public ShadowSync(UpstreamTopics topics, ShadowService shadows, DeviceRegistry registry, RemotePolicy policy,
                      Journal journal, Supplier<ObjectNode> hubStatus, Duration fullSyncEvery, Duration pace) {
        this.topics = topics;
        this.shadows = shadows;
        this.registry = registry;
        this.policy = policy;
        this.records = new SyncRecords(journal);
        this.hubStatus = hubStatus;
        this.fullSyncEvery = fullSyncEvery;
        this.pace = pace;
        this.cloud = new CloudShadowClient(topics, (device, version) -> changedInCloud(device));
        policy.addListener(this::permissionChanged);
    }

    @Override
    public void start(DataSource dataSource) throws Exception {
        for (String device : records.load(dataSource)) {
            queue.add(device, false);
        }
        running = true;
        worker = new Thread(this::work, "cloud-sync");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread current = worker;
        if (current != null) {
            current.interrupt();
            try {
                current.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public CompletionStage<Void> connected(UpstreamSession session) {
        return cloud.connected(session).thenRun(() -> {
            long now = System.nanoTime();
            if (lastFullSync == Long.MIN_VALUE || now - lastFullSync > fullSyncEvery.toNanos()) {
                lastFullSync = now;
                fullSyncs.incrementAndGet();
                for (DeviceRecord device : registry.all()) {
                    queue.add(device.id().value(), true);
                }
            }
            hubSent = null;
            queue.add(HUB, false);
        });
    }

    @Override
    public void disconnected() {
        cloud.disconnected();
    }

    @Override
    public void received(UpstreamSession from, UpstreamMessage message) {
        cloud.received(message);
    }

    @Override
    public void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        if (!name.isClassic() || DeviceId.problem(name.thing()) != null) {
            return;
        }
        String device = name.thing();
        Long own = ownLocalWrites.get(device);
        if (own != null && current != null && own == current.version()) {
            return;
        }
        if (!policy.of(DeviceId.of(device)).visible() && records.of(device) == null) {
            return;
        }
        records.markDirty(device);
        queue.add(device, false);
    }

    @Override
    public void refreshHub() {
        queue.add(HUB, false);
    }

    @Override
    public int queued() {
        return Math.max(records.dirtyCount(), queue.size());
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queued", queued());
        details.put("syncs", syncs.get());
        details.put("versionConflicts", conflicts.get());
        details.put("fullSyncs", fullSyncs.get());
        if (lastProblem != null) {
            details.put("lastSyncProblem", lastProblem);
        }
        return details;
    }

    private void changedInCloud(String device) {
        queue.add(device, false);
    }

    private void permissionChanged(DevicePermission permission) {
        queue.add(permission.device().value(), false);
    }

    private void work() {
        while (running) {
            SyncQueue.Item item;
            try {
                item = queue.take(500);
                if (item == null) {
                    continue;
                }
                while (running && !cloud.connected()) {
                    Thread.sleep(100);
                }
                if (!running) {
                    return;
                }
                if (item.device().equals(HUB)) {
                    syncHub();
                } else {
                    syncWithRetries(item.device());
                }
                if (item.paced()) {
                    Thread.sleep(pace.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void syncWithRetries(String device) throws InterruptedException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                syncOnce(device);
                syncs.incrementAndGet();
                return;
            } catch (ShadowException e) {
                if (e.error().code() == 409) {
                    // Someone wrote between our read and our write: read both sides again and re-merge.
                    conflicts.incrementAndGet();
                    Thread.sleep(20L * attempt);
                    continue;
                }
                lastProblem = device + ": " + e.error().code() + " " + e.error().message();
                LOG.warn("Syncing {} with the cloud was refused: {} {}", device, e.error().code(), e.error().message());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (java.util.concurrent.TimeoutException e) {
                lastProblem = "the cloud did not answer shadow requests within " + CloudShadowClient.TIMEOUT_SECONDS
                        + " s; mode aws-shadow needs an AWS-IoT-compatible shadow service upstream";
                LOG.warn("Syncing {}: {}", device, lastProblem);
                queue.add(device, false);
                Thread.sleep(5_000);
                return;
            } catch (Exception e) {
                // The link went down mid-sync: the device waits for the next session.
                queue.add(device, false);
                return;
            }
        }
        lastProblem = device + ": still changing on both sides after " + MAX_ATTEMPTS + " attempts";
        LOG.warn("{} kept changing during its sync; trying again later", device);
        queue.add(device, false);
    }

    private void syncOnce(String device) throws Exception {
        ShadowName local = ShadowName.classic(device);
        ShadowDocument mine = shadows.documents(List.of(local)).get(10, TimeUnit.SECONDS).get(local);
        SyncRecords.Synced base = records.of(device);
        DevicePermission permission = policy.of(DeviceId.of(device));
        if (mine == null || !permission.visible()) {
            // The hub owns which shadows exist upstream: deleted or hidden here, deleted there.
            if (base != null) {
                cloud.delete(device);
            }
            records.forget(device);
            return;
        }
        CloudShadowClient.CloudDocument theirs = cloud.get(device);
        boolean sameCloud = theirs.version() != null && base != null && theirs.version().equals(base.cloudVersion());
        boolean sameLocal = base != null && Long.valueOf(mine.version()).equals(base.localVersion());
        if (sameCloud && sameLocal) {
            records.synced(device, base);
            return;
        }
        ObjectNode baseDesired = base == null ? null : base.desired();
        ObjectNode baseReported = base == null ? null : base.reported();
        if (theirs.version() == null) {
            // Absent upstream (never created, or deleted there): the hub's document recreates it.
            baseDesired = null;
            baseReported = null;
        }
        ObjectNode desired = permission.control()
                ? ThreeWayMerge.merge(baseDesired, mine.desired(), theirs.desired(), ThreeWayMerge.Owner.CLOUD)
                : mine.desired();
        ObjectNode reported = ThreeWayMerge.merge(baseReported, mine.reported(), theirs.reported(),
                ThreeWayMerge.Owner.LOCAL);

        long localVersion = mine.version();
        ObjectNode localState = state(ThreeWayMerge.patch(mine.desired(), desired),
                ThreeWayMerge.patch(mine.reported(), reported));
        if (localState != null) {
            ObjectNode body = NODES.objectNode();
            body.set("state", localState);
            body.put("version", mine.version());
            // Known before the write, because listeners hear of it before the reply arrives.
            ownLocalWrites.put(device, mine.version() + 1);
            try {
                ShadowReply reply = shadows.update(local, body.toString().getBytes(StandardCharsets.UTF_8))
                        .get(10, TimeUnit.SECONDS);
                localVersion = reply.document().version();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof ShadowException refused && refused.error().code() == 400) {
                    // The device cannot take what the cloud desired: the hub's desired state stands.
                    lastProblem = device + ": " + refused.error().message();
                    desired = mine.desired();
                } else {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        Long cloudVersion = theirs.version();
        ObjectNode cloudState = state(ThreeWayMerge.patch(theirs.desired(), desired),
                ThreeWayMerge.patch(theirs.reported(), reported));
        if (cloudState != null) {
            cloudVersion = cloud.update(topics.devicePrefix(device), cloudState, theirs.version());
        }
        records.synced(device, new SyncRecords.Synced(desired, reported, localVersion, cloudVersion));
    }

    private void syncHub() {
        ObjectNode status = hubStatus.get();
        if (status.equals(hubSent)) {
            return;
        }
        try {
            cloud.update(topics.hubPrefix(), NODES.objectNode().set("reported", status), null);
            hubSent = status;
        } catch (Exception e) {
            LOG.debug("The hub's status did not reach the cloud: {}", e.toString());
        }
    }

    private static ObjectNode state(ObjectNode desired, ObjectNode reported) {
        if (desired == null && reported == null) {
            return null;
        }
        ObjectNode state = NODES.objectNode();
        if (desired != null) {
            state.set("desired", desired);
        }
        if (reported != null) {
            state.set("reported", reported);
        }
        return state;
    }
}
