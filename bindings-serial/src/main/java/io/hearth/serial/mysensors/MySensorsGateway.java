package io.hearth.serial.mysensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.BindingException;
import io.hearth.core.device.DeviceId;
import io.hearth.serial.Counters;
import io.hearth.serial.GatewayProtocol;
import io.hearth.serial.PairingWindow;
import io.hearth.serial.device.Delta;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.link.LineSplitter;
import io.hearth.serial.link.SerialLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySensors serial gateway: its nodes become devices {@code mysensors-<gateway>-<node>}.
 *
 * <p>All protocol state lives on one worker thread: lines from the link, deltas from the bus and
 * timers are queued to it, so nothing here needs locks and the link's reader never waits on the
 * database or the bus.
 */
public final class MySensorsGateway implements GatewayProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(MySensorsGateway.class);
    /** A node presents its children in a quick burst with no end marker: it is done after this quiet. */
    static final Duration PRESENTATION_QUIET = Duration.ofMillis(300);
    private static final int MAX_LINE = 256;
    /** How often silent nodes are looked for; a pass over at most 254 nodes costs nothing. */
    private static final Duration SILENCE_CHECK = Duration.ofSeconds(1);

    private final String gateway;
    private final NodeBook book;
    private final DeviceChannel devices;
    private final PairingWindow pairing;
    private final Clock clock;
    private final Duration offlineAfter;
    private final Counters counters = new Counters();
    private final ScheduledExecutorService worker;
    private final LineSplitter splitter;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private volatile SerialLink link;
    private volatile boolean connected;

    /** A node as the worker tracks it. */
    private static final class Node {
        NodeLayout layout;
        boolean paired;
        boolean online;
        /** What arrives while the node presents itself, applied once it is quiet. */
        NodeLayout draft;
        ScheduledFuture<?> settle;
        /** The last value of each key, reported or commanded: what a rebooting actuator asks for. */
        final Map<String, JsonNode> lastValues = new HashMap<>();
        /** Values sent to the node and not yet confirmed, by state key. */
        final Map<String, JsonNode> commanded = new HashMap<>();
        Instant lastSeen;

        Node(NodeLayout layout, boolean paired) {
            this.layout = layout;
            this.paired = paired;
        }
    }

    /**
     * @param offlineAfter how long a paired node may be silent before it counts as offline
     */
    public MySensorsGateway(String gateway, NodeBook book, DeviceChannel devices, PairingWindow pairing, Clock clock,
                            Duration offlineAfter) {
        this.gateway = gateway;
        this.book = book;
        this.devices = devices;
        this.pairing = pairing;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "serial-" + gateway + "-mysensors");
            thread.setDaemon(true);
            return thread;
        });
        this.splitter = new LineSplitter(MAX_LINE, line -> worker.execute(() -> safely(() -> line(line))));
    }

    @Override
    public void attach(SerialLink link) {
        this.link = link;
        worker.execute(() -> safely(this::loadNodes));
        worker.scheduleWithFixedDelay(() -> safely(this::markSilentNodesOffline), SILENCE_CHECK.toMillis(),
                SILENCE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A node can vanish without a word (flat battery, out of range), so silence is the only sign:
     * after {@code offlineAfter} without a message it is offline until it speaks again.
     */
    private void markSilentNodesOffline() {
        Instant now = clock.instant();
        for (Map.Entry<Integer, Node> entry : nodes.entrySet()) {
            Node node = entry.getValue();
            if (node.paired && node.online && node.lastSeen != null
                    && !now.isBefore(node.lastSeen.plus(offlineAfter))) {
                node.online = false;
                counters.count("silentNodes");
                LOG.info("MySensors node {} on gateway {} is offline: silent since {}", entry.getKey(), gateway, node.lastSeen);
                devices.availability(id(entry.getKey()), false);
            }
        }
    }

    private void loadNodes() throws SQLException {
        for (NodeBook.StoredNode stored : book.load(gateway).values()) {
            Node node = new Node(stored.layout(), stored.paired());
            nodes.put(stored.layout().node(), node);
            if (node.paired) {
                // A retained "online" from before a restart is stale until the node speaks again.
                devices.availability(id(node.layout.node()), false);
            }
        }
    }

    @Override
    public void connected() {
        connected = true;
    }

    @Override
    public void received(byte[] chunk) {
        splitter.accept(chunk);
    }

    @Override
    public void disconnected(String reason) {
        connected = false;
        splitter.reset();
        worker.execute(() -> {
            for (Map.Entry<Integer, Node> entry : nodes.entrySet()) {
                if (entry.getValue().paired && entry.getValue().online) {
                    entry.getValue().online = false;
                    devices.availability(id(entry.getKey()), false);
                }
            }
        });
    }

    private void line(String line) throws SQLException {
        if (line.isBlank()) {
            return;
        }
        MySensorsMessage message;
        try {
            message = MySensorsMessage.parse(line);
        } catch (IllegalArgumentException e) {
            counters.count("malformedLines");
            LOG.debug("Gateway {} ignored a malformed line ({}): {}", gateway, e.getMessage(), line);
            return;
        }
        counters.count("messages");
        if (message.node() == 0 && message.command() == Command.INTERNAL) {
            return; // the gateway's own log lines and ready notice
        }
        switch (message.command()) {
            case PRESENTATION -> presentation(message);
            case SET -> set(message);
            case INTERNAL -> internal(message);
            case REQ -> request(message);
            default -> counters.count("ignoredMessages");
        }
    }

    private Node node(int id) {
        return nodes.computeIfAbsent(id, n -> new Node(NodeLayout.empty(n), false));
    }

    private void presentation(MySensorsMessage message) {
        if (message.node() == MySensorsMessage.AUTO) {
            counters.count("ignoredMessages");
            return;
        }
        Node node = node(message.node());
        if (node.draft == null) {
            node.draft = new NodeLayout(message.node(), node.layout.sketchName(), node.layout.sketchVersion(),
                    List.of(), node.layout.battery());
        }
        if (message.child() != MySensorsMessage.NODE_SELF) {
            node.draft = node.draft.withChild(new NodeLayout.Child(message.child(), message.type()));
        }
        settleLater(node);
    }

    private void settleLater(Node node) {
        if (node.settle != null) {
            node.settle.cancel(false);
        }
        node.settle = worker.schedule(() -> safely(() -> presented(node)), PRESENTATION_QUIET.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The node finished presenting: add it when pairing is open, update it when already paired. */
    private void presented(Node node) throws SQLException {
        NodeLayout presented = node.draft;
        node.draft = null;
        node.settle = null;
        if (presented == null) {
            return;
        }
        DeviceId id = id(presented.node());
        if (node.paired) {
            if (!presented.equals(node.layout)) {
                node.layout = presented;
                book.save(gateway, presented, true);
                devices.describe(id, presented.description());
            }
            seen(node);
            return;
        }
        node.layout = presented;
        if (presented.children().isEmpty()) {
            // A repeater, or the gateway presenting itself (node 0): nothing to proxy as a device.
            book.save(gateway, presented, false);
            counters.count("presentationsWithoutSensors");
            if (pairing.isOpen() && presented.node() != 0) {
                pairing.failed(id, "it presented itself without any sensors. A repeater has nothing to add; otherwise "
                        + "check that its sketch presents its sensors, then restart the node while pairing is open.");
            }
            return;
        }
        if (presented.channels().isEmpty()) {
            book.save(gateway, presented, false);
            counters.count("presentationsWithoutKnownSensors");
            if (pairing.isOpen()) {
                pairing.failed(id, "none of its sensors is a kind Hearth knows yet (such as temperature, humidity, "
                        + "light, switch, dimmer, door, motion, water leak or power), so it cannot be added.");
            }
            return;
        }
        if (!pairing.isOpen()) {
            book.save(gateway, presented, false);
            counters.count("unpairedPresentations");
            LOG.info("MySensors node {} on gateway {} presented itself while pairing is closed; not added", presented.node(), gateway);
            return;
        }
        node.paired = true;
        book.save(gateway, presented, true);
        devices.describe(id, presented.description());
        pairing.joined(id);
        LOG.info("MySensors node {} on gateway {} paired as {}", presented.node(), gateway, id);
        seen(node);
    }

    private void set(MySensorsMessage message) {
        Node node = nodes.get(message.node());
        if (node == null || !node.paired) {
            counters.count("unpairedMessages");
            return;
        }
        seen(node);
        var channel = node.layout.channel(message.child(), message.type());
        if (channel.isEmpty()) {
            counters.count("unmappedValues");
            return;
        }
        String key = channel.get().key();
        JsonNode value;
        try {
            value = channel.get().reading().decode(message.payload());
        } catch (IllegalArgumentException e) {
            counters.count("badValues");
            LOG.debug("Node {} sent a bad value for {}: {}", message.node(), key, e.getMessage());
            return;
        }
        node.lastValues.put(key, value);
        ObjectNode reported = JsonNodeFactory.instance.objectNode();
        reported.set(key, value);
        JsonNode commanded = node.commanded.get(key);
        // The echo of a command, or the node reporting the commanded value, confirms it.
        if (commanded != null && (message.ack() || same(commanded, value))) {
            node.commanded.remove(key);
            devices.confirm(id(message.node()), reported, List.of(key));
        } else if (message.ack()) {
            counters.count("unexpectedEchoes");
        } else {
            devices.report(id(message.node()), reported);
        }
    }

    /**
     * A node asks for a value, typically an actuator restoring its state after a reboot: answered
     * with the last value the hub knows for that child (reported, or commanded since), else not at all.
     */
    private void request(MySensorsMessage message) {
        Node node = nodes.get(message.node());
        if (node == null || !node.paired) {
            counters.count("unpairedMessages");
            return;
        }
        seen(node);
        var channel = node.layout.channel(message.child(), message.type());
        JsonNode known = channel.map(c -> node.lastValues.get(c.key())).orElse(null);
        String payload = known == null ? null : channel.get().reading().encode(known);
        if (payload == null) {
            counters.count("unansweredRequests");
            return;
        }
        send(new MySensorsMessage(message.node(), message.child(), Command.SET, false, message.type(), payload));
    }

    private void internal(MySensorsMessage message) throws SQLException {
        switch (message.type()) {
            case Internal.ID_REQUEST -> answerIdRequest();
            case Internal.SKETCH_NAME, Internal.SKETCH_VERSION -> {
                if (message.node() == MySensorsMessage.AUTO) {
                    counters.count("ignoredMessages");
                    return;
                }
                Node node = node(message.node());
                NodeLayout base = node.draft != null ? node.draft
                        : new NodeLayout(message.node(), node.layout.sketchName(), node.layout.sketchVersion(), List.of(), node.layout.battery());
                node.draft = message.type() == Internal.SKETCH_NAME
                        ? base.withSketchName(message.payload()) : base.withSketchVersion(message.payload());
                settleLater(node);
            }
            case Internal.BATTERY_LEVEL -> battery(message);
            case Internal.TIME -> send(new MySensorsMessage(message.node(), MySensorsMessage.NODE_SELF, Command.INTERNAL,
                    false, Internal.TIME, Long.toString(clock.instant().getEpochSecond())));
            case Internal.CONFIG -> send(new MySensorsMessage(message.node(), MySensorsMessage.NODE_SELF, Command.INTERNAL,
                    false, Internal.CONFIG, "M"));
            default -> {
                Node node = nodes.get(message.node());
                if (node != null && node.paired) {
                    seen(node); // heartbeats and anything else a node says show it is alive
                }
            }
        }
    }

    private void answerIdRequest() throws SQLException {
        OptionalInt free = book.allocate(gateway);
        if (free.isEmpty()) {
            counters.count("idRequestsRefused");
            LOG.warn("Gateway {} has no free MySensors node id left (1 to 254 are taken)", gateway);
            return;
        }
        nodes.put(free.getAsInt(), new Node(NodeLayout.empty(free.getAsInt()), false));
        counters.count("idsHandedOut");
        send(new MySensorsMessage(MySensorsMessage.AUTO, MySensorsMessage.NODE_SELF, Command.INTERNAL, false,
                Internal.ID_RESPONSE, Integer.toString(free.getAsInt())));
    }

    private void battery(MySensorsMessage message) throws SQLException {
        Node node = nodes.get(message.node());
        if (node == null || !node.paired) {
            counters.count("unpairedMessages");
            return;
        }
        seen(node);
        int level;
        try {
            level = Integer.parseInt(message.payload().strip());
        } catch (NumberFormatException e) {
            counters.count("badValues");
            return;
        }
        if (level < 0 || level > 100) {
            counters.count("badValues");
            return;
        }
        if (!node.layout.battery()) {
            node.layout = node.layout.withBattery();
            book.save(gateway, node.layout, true);
            devices.describe(id(message.node()), node.layout.description());
        }
        ObjectNode reported = JsonNodeFactory.instance.objectNode();
        reported.put("battery", level);
        devices.report(id(message.node()), reported);
    }

    private void seen(Node node) {
        node.lastSeen = clock.instant();
        if (!node.online) {
            node.online = true;
            devices.availability(id(node.layout.node()), true);
        }
    }

    @Override
    public boolean owns(DeviceId device) {
        return nodeOf(device) >= 0;
    }

    /** The node id in {@code mysensors-<this gateway>-<node>}, or -1. */
    private int nodeOf(DeviceId device) {
        String prefix = "mysensors-" + gateway + "-";
        if (!device.value().startsWith(prefix)) {
            return -1;
        }
        String number = device.value().substring(prefix.length());
        if (number.isEmpty() || number.length() > 3 || !number.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int node = Integer.parseInt(number);
        // Node 0 is the gateway, which may carry sensors of its own.
        return node <= 254 ? node : -1;
    }

    @Override
    public void handle(Delta delta) {
        worker.execute(() -> safely(() -> command(delta)));
    }

    private void command(Delta delta) {
        Node node = nodes.get(nodeOf(delta.device()));
        if (node == null || !node.paired) {
            counters.count("refusedCommands");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = delta.state().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> desired = it.next();
            var channel = node.layout.channel(desired.getKey());
            String payload = channel.filter(c -> c.reading().property().capability().writable())
                    .map(c -> c.reading().encode(desired.getValue())).orElse(null);
            if (payload == null) {
                counters.count("refusedCommands");
                continue;
            }
            node.commanded.put(desired.getKey(), desired.getValue());
            node.lastValues.put(desired.getKey(), desired.getValue());
            if (send(new MySensorsMessage(node.layout.node(), channel.get().child(), Command.SET, true,
                    channel.get().reading().valueType(), payload))) {
                counters.count("commandsSent");
            }
        }
    }

    private boolean send(MySensorsMessage message) {
        SerialLink current = link;
        if (current == null || !connected) {
            counters.count("unsentMessages");
            return false;
        }
        try {
            current.write(message.format().getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException e) {
            counters.count("unsentMessages");
            LOG.warn("Gateway {} could not send to node {}: {}", gateway, message.node(), e.getMessage());
            return false;
        }
    }

    @Override
    public void remove(DeviceId device) throws BindingException {
        int id = nodeOf(device);
        if (id < 0) {
            throw new BindingException(device + " is not a device of serial gateway " + gateway);
        }
        try {
            worker.submit(() -> {
                Node node = nodes.get(id);
                if (node != null) {
                    node.paired = false;
                    node.online = false;
                    node.commanded.clear();
                    // The node keeps its id in its own memory, so the id stays taken; it comes back
                    // as a device only by presenting itself while pairing is open.
                    book.save(gateway, node.layout, false);
                }
                devices.forget(device);
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new BindingException("removing " + device + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("protocol", "mysensors");
        details.putAll(counters.snapshot());
        details.put("overlongLines", splitter.overlong());
        return details;
    }

    /** Counts by name, for tests and health. */
    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
        // Not shutdownNow: the "offline" the link queued while stopping should still go out.
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DeviceId id(int node) {
        return DeviceId.mysensors(gateway, node);
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Math.abs(a.asDouble() - b.asDouble()) < 1e-9;
        }
        return a.equals(b);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Bad input or a failing database must cost one message, never the worker thread. */
    private void safely(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            counters.count("failures");
            LOG.warn("Gateway {}: {}", gateway, e.toString());
        }
    }

    static List<String> keys(NodeLayout layout) {
        List<String> keys = new ArrayList<>();
        layout.channels().forEach(c -> keys.add(c.key()));
        return keys;
    }
}
