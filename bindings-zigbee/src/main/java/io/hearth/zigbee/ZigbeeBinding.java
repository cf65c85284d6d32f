package io.hearth.zigbee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeCommand;
import com.zsmartsystems.zigbee.ZigBeeCommandListener;
import com.zsmartsystems.zigbee.ZigBeeNetworkManager;
import com.zsmartsystems.zigbee.ZigBeeNetworkNodeListener;
import com.zsmartsystems.zigbee.ZigBeeNetworkState;
import com.zsmartsystems.zigbee.ZigBeeNode;
import com.zsmartsystems.zigbee.ZigBeeStatus;
import io.hearth.core.binding.Binding;
import io.hearth.core.binding.BindingException;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.ZigbeeConfig;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Migrations;
import io.hearth.core.store.Store;
import io.hearth.zigbee.availability.AvailabilityTracker;
import io.hearth.zigbee.device.DevicePublisher;
import io.hearth.zigbee.device.ZigbeeDeviceProxy;
import io.hearth.zigbee.dongle.SerialDongles;
import io.hearth.zigbee.dongle.TransportFactory;
import io.hearth.zigbee.network.H2NodeStore;
import io.hearth.zigbee.network.NetworkSettingsStore;
import io.hearth.zigbee.network.NetworkStartException;
import io.hearth.zigbee.network.ZigbeeNetwork;
import io.hearth.zigbee.pairing.PairingWindow;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Zigbee binding: runs the ZigBee network on the configured coordinator (the simulated one by
 * default), keeps one {@link ZigbeeDeviceProxy} per interviewed node, and offers pairing, removal
 * and health through the {@link Binding} SPI.
 *
 * <p>Threads: one state thread owns the proxies and everything they decide; an I/O pool does
 * whatever waits on the radio (interviews, commands, network start); broker and library threads
 * only hand work over.
 */
@Singleton
public final class ZigbeeBinding implements HubComponent, Binding {

    public static final Migrations MIGRATIONS = new Migrations("zigbee");
    public static final String DELTAS = "$aws/things/+/shadow/update/delta";

    private static final Logger LOG = LoggerFactory.getLogger(ZigbeeBinding.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);
    /** The longest permit-join a coordinator accepts in one request. */
    private static final int MAX_PERMIT_JOIN_SECONDS = 254;
    private static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(10);
    /** How often the dongle's device file is looked for: an unplugged dongle is noticed within this. */
    private static final Duration PORT_CHECK = Duration.ofSeconds(1);

    private final ZigbeeConfig config;
    private final Bus bus;
    private final Supplier<DataSource> dataSource;
    private final BindingOptions options;
    private final H2NodeStore nodeStore;
    private final AtomicLong badDeltas = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final PairingWindow pairing;
    private final TransportFactory transports;

    private volatile ScheduledExecutorService state;
    private volatile ExecutorService io;
    private volatile BusClient client;
    private volatile DevicePublisher publisher;
    private volatile DeviceRegistry devices;
    private volatile ZigBeeNetworkManager manager;
    private volatile SimulatedCoordinator simulator;
    private volatile Health health = Health.starting();
    private volatile boolean running;
    private Duration nextRetry; // guarded by this

    @Inject
    public ZigbeeBinding(HearthConfig config, Bus bus, Store store) {
        this(config.zigbee(), bus, store::dataSource, BindingOptions.defaults(), null);
    }

    /**
     * @param transports the coordinator to use, or null for the one the configuration names
     */
    public ZigbeeBinding(ZigbeeConfig config, Bus bus, Supplier<DataSource> dataSource, BindingOptions options,
                         TransportFactory transports) {
        this.config = config;
        this.bus = bus;
        this.dataSource = dataSource;
        this.options = options;
        this.nodeStore = new H2NodeStore(dataSource);
        this.pairing = new PairingWindow(id(), options.clock());
        this.transports = transports != null ? transports : defaultTransports();
        this.nextRetry = options.firstRetry();
    }

    private TransportFactory defaultTransports() {
        if (config.dongle() == ZigbeeConfig.Dongle.SIMULATED) {
            return new TransportFactory() {
                @Override
                public com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit create() {
                    SimulatedCoordinator created = new SimulatedCoordinator(options.simulation(), nodeStore::readNetworkNodes);
                    simulator = created;
                    return created;
                }

                @Override
                public String describe() {
                    return "simulated coordinator";
                }
            };
        }
        return config.dongle().usesSerialPort() ? SerialDongles.factory(config) : null;
    }

    @Override
    public String id() {
        return "zigbee";
    }

    @Override
    public String name() {
        return "zigbee";
    }

    @Override
    public int startOrder() {
        return BINDINGS;
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() throws Exception {
        if (config.dongle() == ZigbeeConfig.Dongle.NONE) {
            health = Health.disabled("zigbee.dongle is none");
            return;
        }
        running = true;
        state = Executors.newSingleThreadScheduledExecutor(named("zigbee-state"));
        io = Executors.newFixedThreadPool(4, named("zigbee-io"));
        client = bus.connect("zigbee");
        publisher = new DevicePublisher(client);
        AvailabilityTracker availability = new AvailabilityTracker(options.clock(), options.timeouts(), this::ping);
        devices = new DeviceRegistry(publisher, availability, pairing, this::onState, this::onIo, options.clock(),
                network -> manager == network);
        client.subscribe(DELTAS, Qos.AT_LEAST_ONCE, this::onDelta).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long check = options.checkInterval().toMillis();
        state.scheduleWithFixedDelay(this::checkAvailability, check, check, TimeUnit.MILLISECONDS);
        if (transports.port().isPresent()) {
            state.scheduleWithFixedDelay(this::checkPort, PORT_CHECK.toMillis(), PORT_CHECK.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        long poll = options.pollInterval().toMillis();
        state.scheduleWithFixedDelay(() -> devices.poll(), poll, poll, TimeUnit.MILLISECONDS);
        // The first attempt is waited for (within bounds), so that health right after the start tells
        // whether the network is up; later attempts run in the background.
        try {
            io.submit(this::connect).get(FIRST_CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException slow) {
            LOG.info("Zigbee coordinator still starting after {} s; continuing in the background",
                    FIRST_CONNECT_WAIT.toSeconds());
        }
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        ScheduledExecutorService stateThread = state;
        ExecutorService ioPool = io;
        try {
            stateThread.submit(devices::detachAll).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Zigbee: detaching devices: {}", e.toString());
        }
        ZigBeeNetworkManager current = manager;
        manager = null;
        if (current != null) {
            ZigbeeNetwork.stopQuietly(current);
        }
        stateThread.shutdownNow();
        ioPool.shutdownNow();
        try {
            stateThread.awaitTermination(5, TimeUnit.SECONDS);
            ioPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        health = Health.starting();
    }

    /** Brings the network up, or schedules another try with a growing wait. Runs on the I/O pool. */
    private void connect() {
        if (!running) {
            return;
        }
        Optional<Path> port = transports.port();
        if (port.isPresent() && !Files.exists(port.get())) {
            retryLater(transports.describe() + ": " + port.get() + " does not exist. Is the dongle plugged in?");
            return;
        }
        ZigbeeNetwork network = new ZigbeeNetwork(nodeStore, new NetworkSettingsStore(dataSource), config.channel());
        try {
            ZigBeeNetworkManager started = network.start(transports.create(), m -> {
                m.addNetworkNodeListener(nodeListener);
                m.addCommandListener(commandListener);
                m.addNetworkStateListener(networkState -> {
                    if (networkState == ZigBeeNetworkState.OFFLINE) {
                        lost(m, "lost contact with the " + transports.describe());
                    }
                });
            });
            if (!running) {
                ZigbeeNetwork.stopQuietly(started);
                return;
            }
            manager = started;
            health = upHealth();
            resetRetryWait();
            onState(() -> {
                started.getNodes().forEach(node -> devices.consider(started, node));
            });
        } catch (NetworkStartException | RuntimeException e) {
            retryLater(transports.describe() + ": " + e.getMessage());
        }
    }

    /** The coordinator under {@code lost} is gone: its devices are unreachable until a new start succeeds. */
    private void lost(ZigBeeNetworkManager lost, String why) {
        if (!running || manager != lost) {
            return;
        }
        onState(() -> {
            if (manager != lost) {
                return;
            }
            manager = null;
            LOG.warn("Zigbee: {}; reconnecting", why);
            devices.dropAll();
            onIo(() -> ZigbeeNetwork.stopQuietly(lost));
            retryLater(why);
        });
    }

    /** Runs on the state thread. */
    private void checkPort() {
        ZigBeeNetworkManager current = manager;
        Optional<Path> port = transports.port();
        if (current != null && port.isPresent() && !Files.exists(port.get())) {
            lost(current, transports.describe() + ": " + port.get() + " disappeared. Was the dongle unplugged?");
        }
    }

    private void retryLater(String why) {
        ScheduledExecutorService current = state;
        if (!running || current == null) {
            return;
        }
        Duration wait = takeRetryWait();
        // One write that carries the retry time, so nobody reads a DOWN that does not say what happens next.
        health = new Health(HealthStatus.DOWN, sentence(why) + " Trying again by itself in "
                + Math.max(1, wait.toSeconds()) + " s.", Map.of("reconnects", reconnects.get()));
        LOG.warn("Zigbee coordinator unavailable: {}; retrying in {} s", why, wait.toSeconds());
        reconnects.incrementAndGet();
        try {
            current.schedule(() -> onIo(this::connect), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("Zigbee binding stopping; no further retry");
        }
    }

    /** The wait before the next try; each failure doubles it, up to {@link #MAX_RETRY}. */
    private synchronized Duration takeRetryWait() {
        Duration wait = nextRetry;
        nextRetry = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        return wait;
    }

    private synchronized void resetRetryWait() {
        nextRetry = options.firstRetry();
    }

    private static String sentence(String text) {
        return text.endsWith(".") || text.endsWith("?") ? text : text + ".";
    }

    private final ZigBeeNetworkNodeListener nodeListener = new ZigBeeNetworkNodeListener() {
        @Override
        public void nodeAdded(ZigBeeNode node) {
            considerLater(node);
        }

        @Override
        public void nodeUpdated(ZigBeeNode node) {
            considerLater(node);
        }

        @Override
        public void nodeRemoved(ZigBeeNode node) {
            onState(() -> devices.removed(node.getIeeeAddress()));
        }
    };

    private void considerLater(ZigBeeNode node) {
        onState(() -> {
            ZigBeeNetworkManager current = manager;
            if (current != null) {
                devices.consider(current, node);
            }
        });
    }

    /** Any frame from a node counts as a sign of life. */
    private final ZigBeeCommandListener commandListener = new ZigBeeCommandListener() {
        @Override
        public void commandReceived(ZigBeeCommand command) {
            ZigBeeNetworkManager current = manager;
            if (current == null || command.getSourceAddress() == null) {
                return;
            }
            ZigBeeNode node = current.getNode(command.getSourceAddress().getAddress());
            if (node != null) {
                onState(() -> devices.heard(node.getIeeeAddress()));
            }
        }
    };

    private void onDelta(BusMessage message) {
        String[] levels = message.topic().split("/");
        if (levels.length < 3 || !levels[2].startsWith("zigbee-")) {
            return;
        }
        String thing = levels[2];
        JsonNode delta;
        try {
            delta = JSON.readTree(message.payload()).path("state");
        } catch (java.io.IOException e) {
            badDeltas.incrementAndGet();
            return;
        }
        if (!delta.isObject()) {
            badDeltas.incrementAndGet();
            return;
        }
        onState(() -> {
            if (!devices.deliver(thing, delta)) {
                badDeltas.incrementAndGet();
            }
        });
    }

    private void checkAvailability() {
        devices.checkAvailability();
    }

    /** Any read the device must answer will do; its answer counts as traffic. */
    private void ping(ZigbeeDeviceProxy proxy) {
        proxy.node().getEndpoints().stream().flatMap(e -> e.getInputClusterIds().stream().map(e::getInputCluster))
                .filter(c -> c != null).findFirst().ifPresent(cluster -> cluster.readAttribute(0x0000));
    }

    @Override
    public PairingStatus startPairing(Duration duration) throws BindingException {
        ZigBeeNetworkManager current = requireNetwork();
        long seconds = Math.max(1, Math.min(MAX_PERMIT_JOIN_SECONDS, duration.toSeconds()));
        if (current.permitJoin((int) seconds) != ZigBeeStatus.SUCCESS) {
            throw new BindingException("the Zigbee coordinator refused to open the network for pairing");
        }
        // Nodes that joined before the window opened (even if their interview is still running) are not newcomers.
        Set<DeviceId> known = new HashSet<>();
        current.getNodes().forEach(n -> known.add(ZigbeeDeviceProxy.idOf(n.getIeeeAddress())));
        pairing.open(Duration.ofSeconds(seconds), known);
        return pairing.status();
    }

    @Override
    public PairingStatus stopPairing() {
        ZigBeeNetworkManager current = manager;
        if (current != null) {
            current.permitJoin(0);
        }
        pairing.close();
        return pairing.status();
    }

    @Override
    public PairingStatus pairingStatus() {
        return pairing.status();
    }

    @Override
    public void remove(DeviceId device) throws BindingException {
        ZigBeeNetworkManager current = requireNetwork();
        Optional<ZigBeeNode> node = current.getNodes().stream()
                .filter(n -> ZigbeeDeviceProxy.idOf(n.getIeeeAddress()).equals(device)).findFirst();
        if (node.isEmpty()) {
            throw new BindingException("there is no Zigbee device " + device);
        }
        IeeeAddress ieee = node.get().getIeeeAddress();
        onState(() -> devices.leaving(ieee));
        // Ask the device to leave; the stack forgets it once it answers, or regardless after a failed leave.
        current.leave(node.get().getNetworkAddress(), ieee, true);
    }

    private ZigBeeNetworkManager requireNetwork() throws BindingException {
        ZigBeeNetworkManager current = manager;
        if (current == null) {
            throw new BindingException(health.message() != null ? "the Zigbee network is not running: " + health.message()
                    : "the Zigbee network is not running");
        }
        return current;
    }

    @Override
    public Health health() {
        Health current = health;
        if (current.status() != HealthStatus.UP) {
            return current;
        }
        return upHealth();
    }

    private Health upHealth() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("coordinator", transports.describe());
        ZigBeeNetworkManager current = manager;
        if (current != null) {
            details.put("channel", current.getZigBeeChannel().getChannel());
            details.put("panId", String.format("%04X", current.getZigBeePanId()));
        }
        DeviceRegistry registry = devices;
        details.put("devices", registry == null ? 0 : registry.size());
        details.put("online", registry == null ? 0 : registry.online());
        details.put("pairing", pairing.status().open());
        details.put("refusedDesired", registry == null ? 0 : registry.refusedDesired());
        details.put("badDeltas", badDeltas.get());
        details.put("storeFailures", nodeStore.failures());
        details.put("reconnects", reconnects.get());
        SimulatedCoordinator sim = simulator;
        if (sim != null) {
            details.put("badFrames", sim.badFrames());
        }
        DevicePublisher out = publisher;
        if (out != null) {
            details.put("refusedPublishes", out.refused());
        }
        return Health.up(details);
    }

    /** The simulated coordinator while the binding runs on one; for trying things out and for tests. */
    public Optional<SimulatedCoordinator> simulator() {
        return Optional.ofNullable(simulator);
    }

    /** The devices as they are now, by id. */
    public Map<DeviceId, ZigbeeDeviceProxy> devices() {
        DeviceRegistry registry = devices;
        return registry == null ? Map.of() : registry.byId();
    }

    /** Runs an availability check now instead of waiting for the next one. */
    public void checkAvailabilityNow() {
        onState(this::checkAvailability);
    }

    /** Runs on the state thread; work arriving while the binding stops is dropped. */
    private void onState(Runnable action) {
        ScheduledExecutorService current = state;
        if (current == null) {
            return;
        }
        try {
            current.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("Zigbee binding: unexpected failure", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("Zigbee binding stopping; dropped state work");
        }
    }

    private void onIo(Runnable action) {
        ExecutorService current = io;
        if (current == null) {
            return;
        }
        try {
            current.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("Zigbee binding stopping; dropped radio work");
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
