package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.ExtendedPanId;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeChannel;
import com.zsmartsystems.zigbee.ZigBeeNodeStatus;
import com.zsmartsystems.zigbee.ZigBeeNwkAddressMode;
import com.zsmartsystems.zigbee.ZigBeeStatus;
import com.zsmartsystems.zigbee.aps.ZigBeeApsFrame;
import com.zsmartsystems.zigbee.security.ZigBeeKey;
import com.zsmartsystems.zigbee.transport.TransportConfig;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportProgressState;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportReceive;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportState;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator dongle and its radio neighbourhood in one object: the network manager talks to it
 * exactly as to a real dongle driver, and it answers as the devices of the {@link DemoNetwork} would,
 * at the ZDO and ZCL level. Everything the library does above the transport - discovery, the ZCL
 * codec, transactions - therefore runs unchanged.
 *
 * <p>All radio traffic happens on one thread, with a few milliseconds between a frame's
 * acknowledgement and its answer. The library hands callbacks to its own threads, where callbacks
 * that arrive close together can overtake each other; the order used here is the one that ends
 * every transaction whichever callback comes first.
 */
public final class SimulatedCoordinator implements ZigBeeTransportTransmit {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCoordinator.class);
    private static final int LOCAL_ENDPOINT = 1;
    private static final int BROADCAST_MIN = 0xFFF8;
    private static final long ACK_GAP_MS = 5;

    /**
     * How the simulation behaves.
     *
     * @param tick how often readings move and are reported; zero stops the clockwork (tests drive it)
     * @param joinDelay how long after pairing opens the new device joins
     */
    public record Options(Duration tick, Duration joinDelay, long seed) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(3), System.nanoTime());
        }
    }

    private final Options options;
    private final Supplier<Set<IeeeAddress>> alreadyJoined;
    private final SimulatedDevice self = new SimulatedDevice("Coordinator", DemoNetwork.COORDINATOR, 0, true,
            List.of(new SimulatedEndpoint(LOCAL_ENDPOINT, 0x0005, List.of(), List.of())), SimulatedDevice.Behaviour.NONE);
    private final Map<Integer, SimulatedDevice> members = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> apsCounters = new ConcurrentHashMap<>();
    private final Set<Long> silent = ConcurrentHashMap.newKeySet();
    /** Devices the stack has talked to since they last announced themselves. */
    private final Set<Integer> contacted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger zclSequence = new AtomicInteger();
    private final AtomicLong badFrames = new AtomicLong();
    private final ZdoResponder zdo = new ZdoResponder(this::node, this::nodeByIeee);
    private final ZclResponder zcl = new ZclResponder();
    private final Random random;
    private final SimulatedDevice newcomer = DemoNetwork.newcomer();

    private volatile ZigBeeTransportReceive receiver;
    private volatile ScheduledExecutorService radio;
    private volatile ScheduledFuture<?> pendingJoin;
    private volatile ZigBeeChannel channel = ZigBeeChannel.CHANNEL_11;
    private volatile int panId = 0x1A62;
    private volatile ExtendedPanId extendedPanId = new ExtendedPanId("0000000000000000");
    private volatile ZigBeeKey networkKey = new ZigBeeKey();
    private volatile ZigBeeKey linkKey = new ZigBeeKey();

    /**
     * @param alreadyJoined the nodes the hub already knows from its store: they are members of the
     *                      network from the start and do not join again
     */
    public SimulatedCoordinator(Options options, Supplier<Set<IeeeAddress>> alreadyJoined) {
        this.options = options;
        this.alreadyJoined = alreadyJoined;
        this.random = new Random(options.seed());
    }

    @Override
    public ZigBeeStatus initialize() {
        radio = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "zigbee-simulated-radio");
            thread.setDaemon(true);
            return thread;
        });
        receiver.setTransportState(ZigBeeTransportState.INITIALISING);
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public ZigBeeStatus startup(boolean reinitialize) {
        Set<IeeeAddress> known = reinitialize ? Set.of() : alreadyJoined.get();
        List<SimulatedDevice> joining = new ArrayList<>();
        for (SimulatedDevice device : DemoNetwork.founders()) {
            members.put(device.nwk(), device);
            if (!known.contains(device.ieeeAddress())) {
                joining.add(device);
            }
        }
        if (known.contains(newcomer.ieeeAddress())) {
            members.put(newcomer.nwk(), newcomer);
        }
        receiver.setTransportState(ZigBeeTransportState.ONLINE);
        // Founders join one after the other shortly after the network is up, as after a fresh pairing.
        for (int i = 0; i < joining.size(); i++) {
            SimulatedDevice device = joining.get(i);
            radio.schedule(() -> announce(device), 100L + 150L * i, TimeUnit.MILLISECONDS);
        }
        if (!options.tick().isZero()) {
            long period = options.tick().toMillis();
            radio.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public void shutdown() {
        ScheduledExecutorService current = radio;
        radio = null;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        members.clear();
    }

    /** Moves every device's readings one step and reports what changed. */
    public void tick() {
        onRadio(() -> {
            for (SimulatedDevice device : members.values()) {
                if (silent.contains(device.ieee())) {
                    continue;
                }
                device.tick(random);
                reportChanges(device);
            }
        });
    }

    /**
     * Changes an attribute of a simulated device as the physical world would (a door opens, a
     * reading moves), then lets the device report it.
     */
    public void change(long ieee, int clusterId, int attributeId, Object value) {
        SimulatedDevice device = nodeByIeee(ieee);
        if (device == null || device.cluster(clusterId) == null) {
            throw new IllegalArgumentException("no simulated device " + Long.toHexString(ieee) + " with cluster "
                    + clusterId);
        }
        onRadio(() -> {
            synchronized (device) {
                device.cluster(clusterId).set(attributeId, value);
            }
            reportChanges(device);
        });
    }

    /**
     * Makes a device fall silent (flat battery, out of range) or come back: a silent device answers
     * nothing and reports nothing.
     */
    public void setSilent(long ieee, boolean isSilent) {
        if (isSilent) {
            silent.add(ieee);
        } else {
            silent.remove(ieee);
        }
    }

    /** A device the hub cannot use (a remote with only its maker's own cluster) joins now, as if someone paired it. */
    public void joinUnsupportedDevice() {
        SimulatedDevice remote = DemoNetwork.unsupported();
        onRadio(() -> {
            members.put(remote.nwk(), remote);
            announce(remote);
        });
    }

    /** The dongle stops answering, as when it is unplugged or resets: the stack is told the transport is offline. */
    public void failDongle() {
        onRadio(() -> receiver.setTransportState(ZigBeeTransportState.OFFLINE));
    }

    /** Frames from the network manager that could not be understood. */
    public long badFrames() {
        return badFrames.get();
    }

    @Override
    public void sendCommand(int msgTag, ZigBeeApsFrame frame) {
        onRadio(() -> {
            try {
                handle(msgTag, frame);
            } catch (RuntimeException e) {
                badFrames.incrementAndGet();
                LOG.debug("Simulated radio dropped a frame it could not decode: {} ({})", frame, e.toString());
            }
        });
    }

    private void handle(int msgTag, ZigBeeApsFrame frame) {
        int destination = frame.getDestinationAddress();
        boolean broadcast = frame.getAddressMode() == ZigBeeNwkAddressMode.GROUP || destination >= BROADCAST_MIN;
        SimulatedDevice target = broadcast ? null : node(destination);
        if (target != null) {
            contacted.add(target.nwk());
        }
        if (broadcast) {
            // Broadcasts are only ever sent (TX_ACK), after any answer: an early TX_ACK would make the
            // stack hold the answer back waiting for an RX_ACK that a broadcast never gets.
            later(() -> receiver.receiveCommandState(msgTag, ZigBeeTransportProgressState.TX_ACK), 8 * ACK_GAP_MS);
        } else if (target == null) {
            // Nobody there: the MAC layer never gets its acknowledgement.
            later(() -> receiver.receiveCommandState(msgTag, ZigBeeTransportProgressState.RX_NAK), ACK_GAP_MS);
            return;
        } else {
            // Unicasts report only the APS acknowledgement. A TX_ACK as well would race it on the stack's
            // notification thread: an RX_ACK overtaken by its TX_ACK leaves the transaction waiting forever.
            later(() -> receiver.receiveCommandState(msgTag, ZigBeeTransportProgressState.RX_ACK), ACK_GAP_MS);
        }
        if (frame.getProfile() == 0) {
            handleZdo(target, frame);
        } else if (target != null && target != self) {
            handleZcl(target, frame);
        }
    }

    private void handleZdo(SimulatedDevice target, ZigBeeApsFrame frame) {
        int cluster = frame.getCluster();
        int[] payload = frame.getPayload();
        if (cluster >= ZdoResponder.RESPONSE) {
            return;
        }
        if (cluster == ZdoResponder.MANAGEMENT_PERMIT_JOINING) {
            permitJoin(payload[1]);
        }
        ZdoResponder.Reply reply = zdo.answer(target, cluster, payload);
        if (reply == null) {
            return;
        }
        later(() -> deliver(apsFrame(reply.sourceNwk(), 0, 0, reply.cluster(), 0, reply.payload())), 4 * ACK_GAP_MS);
        if (cluster == ZdoResponder.MANAGEMENT_LEAVE && target != null && target != self) {
            SimulatedDevice leaving = nodeByIeee(ZdoResponder.readLong(payload, 1));
            if (leaving != null) {
                later(() -> members.remove(leaving.nwk()), 6 * ACK_GAP_MS);
            }
        }
    }

    private void handleZcl(SimulatedDevice target, ZigBeeApsFrame frame) {
        SimulatedEndpoint endpoint = target.endpoint(frame.getDestinationEndpoint());
        if (endpoint == null) {
            return;
        }
        List<int[]> replies;
        synchronized (target) {
            replies = zcl.answer(endpoint, frame.getCluster(), frame.getPayload());
        }
        long delay = 4 * ACK_GAP_MS;
        for (int[] reply : replies) {
            later(() -> deliver(apsFrame(target.nwk(), endpoint.id(), LOCAL_ENDPOINT, frame.getCluster(), 0x0104, reply)),
                    delay);
            delay += ACK_GAP_MS;
        }
        // A device with reporting configured reports a change right after it happens.
        later(() -> reportChanges(target), delay + ACK_GAP_MS);
    }

    private void reportChanges(SimulatedDevice device) {
        if (silent.contains(device.ieee())) {
            return;
        }
        synchronized (device) {
            for (SimulatedEndpoint endpoint : device.endpoints()) {
                for (ZclResponder.Outgoing out : zcl.reports(endpoint, zclSequence.incrementAndGet())) {
                    deliverLater(device, endpoint.id(), out);
                }
            }
        }
    }

    private void deliverLater(SimulatedDevice device, int endpointId, ZclResponder.Outgoing out) {
        later(() -> deliver(apsFrame(device.nwk(), endpointId, LOCAL_ENDPOINT, out.clusterId(), 0x0104, out.payload())),
                ACK_GAP_MS);
    }

    private void permitJoin(int seconds) {
        ScheduledFuture<?> pending = pendingJoin;
        if (seconds == 0) {
            if (pending != null) {
                pending.cancel(false);
                pendingJoin = null;
            }
            return;
        }
        if (members.containsKey(newcomer.nwk()) || (pending != null && !pending.isDone())) {
            return;
        }
        pendingJoin = radio.schedule(() -> {
            members.put(newcomer.nwk(), newcomer);
            announce(newcomer);
        }, options.joinDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void announce(SimulatedDevice device) {
        announce(device, 1);
    }

    /**
     * Announces a joining device and, like a real device that hears nothing back, announces it again
     * if the stack has not talked to it two seconds later (an announcement can arrive before the
     * stack's discovery listens).
     */
    private void announce(SimulatedDevice device, int attempt) {
        LOG.debug("Simulated device {} joins", device.name());
        contacted.remove(device.nwk());
        receiver.nodeStatusUpdate(ZigBeeNodeStatus.UNSECURED_JOIN, device.nwk(), device.ieeeAddress());
        if (attempt < 5) {
            later(() -> {
                if (!contacted.contains(device.nwk()) && members.containsKey(device.nwk())) {
                    announce(device, attempt + 1);
                }
            }, 2000);
        }
    }

    private ZigBeeApsFrame apsFrame(int source, int sourceEndpoint, int destinationEndpoint, int cluster, int profile,
                                    int[] payload) {
        ZigBeeApsFrame frame = new ZigBeeApsFrame();
        frame.setSourceAddress(source);
        frame.setDestinationAddress(0);
        frame.setAddressMode(ZigBeeNwkAddressMode.DEVICE);
        frame.setSourceEndpoint(sourceEndpoint);
        frame.setDestinationEndpoint(destinationEndpoint);
        frame.setCluster(cluster);
        frame.setProfile(profile);
        frame.setPayload(payload);
        frame.setApsCounter(apsCounters.computeIfAbsent(source, s -> new AtomicInteger()).getAndIncrement() & 0xFF);
        frame.setReceivedLqi(source == 0 ? 255 : 180 + (source & 0x3F));
        frame.setReceivedRssi(-60);
        return frame;
    }

    private void deliver(ZigBeeApsFrame frame) {
        ZigBeeTransportReceive current = receiver;
        if (current != null && radio != null) {
            current.receiveCommand(frame);
        }
    }

    private void later(Runnable action, long delayMs) {
        ScheduledExecutorService current = radio;
        if (current != null && !current.isShutdown()) {
            current.schedule(action, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void onRadio(Runnable action) {
        ScheduledExecutorService current = radio;
        if (current != null && !current.isShutdown()) {
            current.execute(action);
        }
    }

    private SimulatedDevice node(int nwk) {
        SimulatedDevice device = nwk == 0 ? self : members.get(nwk);
        return device == null || silent.contains(device.ieee()) ? null : device;
    }

    private SimulatedDevice nodeByIeee(long ieee) {
        if (ieee == self.ieee()) {
            return self;
        }
        for (SimulatedDevice device : members.values()) {
            if (device.ieee() == ieee) {
                return silent.contains(ieee) ? null : device;
            }
        }
        return null;
    }

    @Override
    public String getVersionString() {
        return "Hearth simulated coordinator";
    }

    @Override
    public IeeeAddress getIeeeAddress() {
        return self.ieeeAddress();
    }

    @Override
    public Integer getNwkAddress() {
        return 0;
    }

    @Override
    public void setZigBeeTransportReceive(ZigBeeTransportReceive receiver) {
        this.receiver = receiver;
    }

    @Override
    public ZigBeeChannel getZigBeeChannel() {
        return channel;
    }

    @Override
    public ZigBeeStatus setZigBeeChannel(ZigBeeChannel channel) {
        this.channel = channel;
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public int getZigBeePanId() {
        return panId;
    }

    @Override
    public ZigBeeStatus setZigBeePanId(int panId) {
        this.panId = panId;
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public ExtendedPanId getZigBeeExtendedPanId() {
        return extendedPanId;
    }

    @Override
    public ZigBeeStatus setZigBeeExtendedPanId(ExtendedPanId extendedPanId) {
        this.extendedPanId = extendedPanId;
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public ZigBeeStatus setZigBeeNetworkKey(ZigBeeKey key) {
        this.networkKey = key;
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public ZigBeeKey getZigBeeNetworkKey() {
        return networkKey;
    }

    @Override
    public ZigBeeStatus setTcLinkKey(ZigBeeKey key) {
        this.linkKey = key;
        return ZigBeeStatus.SUCCESS;
    }

    @Override
    public ZigBeeKey getTcLinkKey() {
        return linkKey;
    }

    @Override
    public void updateTransportConfig(TransportConfig config) {
        for (var option : config.getOptions()) {
            config.setResult(option, ZigBeeStatus.UNSUPPORTED);
        }
    }
}
