package io.hearth.zigbee.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.zsmartsystems.zigbee.CommandResult;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeNode;
import com.zsmartsystems.zigbee.zcl.ZclAttributeListener;
import com.zsmartsystems.zigbee.zcl.ZclCommandListener;
import com.zsmartsystems.zigbee.zcl.clusters.iaszone.ZoneStatusChangeNotificationCommand;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Zigbee node as a Hearth device: turns attribute reports into reported state and desired
 * state into ZCL commands, and clears each desired key once the device reports it met.
 *
 * <p>State lives on the binding's state thread ({@code state}); library callbacks and bus
 * messages hop onto it. Anything that waits for the radio runs on {@code io}.
 */
public final class ZigbeeDeviceProxy {

    private static final Logger LOG = LoggerFactory.getLogger(ZigbeeDeviceProxy.class);
    private static final long COMMAND_TIMEOUT_SECONDS = 15;

    private final DeviceId id;
    private final ZigBeeNode node;
    private final Interview.Result interview;
    private final DevicePublisher publisher;
    private final Executor state;
    private final Executor io;
    private final Map<String, BoundAttribute> byKey = new LinkedHashMap<>();
    private final Map<String, Object> reported = new HashMap<>();
    /** Desired values sent to the device and not yet confirmed, normalized to what the device will report. */
    private final Map<String, Object> pending = new HashMap<>();
    private final Set<BoundAttribute> polled = new LinkedHashSet<>();
    private final List<Runnable> detachers = new ArrayList<>();
    private final AtomicLong refusedDesired;
    private volatile Instant lastSeen;
    private volatile boolean online;

    public ZigbeeDeviceProxy(ZigBeeNode node, Interview.Result interview, DevicePublisher publisher, Executor state,
                             Executor io, Instant now, AtomicLong refusedDesired) {
        this.id = idOf(node.getIeeeAddress());
        this.node = node;
        this.interview = interview;
        this.publisher = publisher;
        this.state = state;
        this.io = io;
        this.lastSeen = now;
        this.refusedDesired = refusedDesired;
        interview.attributes().forEach(attribute -> byKey.put(attribute.key().toString(), attribute));
    }

    public static DeviceId idOf(IeeeAddress address) {
        return DeviceId.zigbee(new BigInteger(address.toString(), 16).longValue());
    }

    public DeviceId id() {
        return id;
    }

    public IeeeAddress ieeeAddress() {
        return node.getIeeeAddress();
    }

    public ZigBeeNode node() {
        return node;
    }

    public String name() {
        return interview.name();
    }

    public boolean mains() {
        return interview.mains();
    }

    public List<Capability> capabilities() {
        return interview.attributes().stream().map(BoundAttribute::capability).toList();
    }

    /** Listens to the device, publishes its description and asks for its current values. */
    public void attach(ReportingSetup reporting) {
        for (BoundAttribute attribute : interview.attributes()) {
            if (attribute.isZoneStatus()) {
                ZclCommandListener listener = command -> {
                    if (command instanceof ZoneStatusChangeNotificationCommand change) {
                        state.execute(() -> onRaw(attribute, change.getZoneStatus()));
                    }
                    return false;
                };
                attribute.cluster().addCommandListener(listener);
                detachers.add(() -> attribute.cluster().removeCommandListener(listener));
            }
            ZclAttributeListener listener = (zclAttribute, value) -> {
                if (zclAttribute.getId() == attribute.attributeId()) {
                    state.execute(() -> onRaw(attribute, value));
                }
            };
            attribute.cluster().addAttributeListener(listener);
            detachers.add(() -> attribute.cluster().removeAttributeListener(listener));
        }
        publisher.describe(id, new DeviceDescription(interview.name(), "zigbee", capabilities()));
        io.execute(() -> {
            Set<BoundAttribute> refused = reporting.configure(node, interview.attributes());
            state.execute(() -> polled.addAll(refused));
            interview.attributes().forEach(attribute -> attribute.cluster().readAttribute(attribute.attributeId()));
        });
    }

    public void detach() {
        detachers.forEach(Runnable::run);
        detachers.clear();
    }

    /** Reads the attributes whose device would not report them. */
    public void poll() {
        state.execute(() -> polled.forEach(attribute -> attribute.cluster().readAttribute(attribute.attributeId())));
    }

    public int polledCount() {
        return polled.size();
    }

    public void seen(Instant when) {
        lastSeen = when;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    public boolean online() {
        return online;
    }

    public void setOnline(boolean online) {
        this.online = online;
        publisher.availability(id, online);
    }

    /** Applies the {@code state} object of a shadow delta. Runs on the state thread. */
    public void onDelta(JsonNode delta) {
        delta.fields().forEachRemaining(field -> {
            BoundAttribute attribute = byKey.get(field.getKey());
            Capability capability = attribute == null ? null : attribute.capability();
            if (capability == null || !capability.writable() || field.getValue().isNull()) {
                refusedDesired.incrementAndGet();
                return;
            }
            String problem = capability.problemWith(field.getValue());
            if (problem != null) {
                LOG.info("{}: ignoring desired {}: {}", id, field.getKey(), problem);
                refusedDesired.incrementAndGet();
                return;
            }
            Object desired = field.getValue().isBoolean() ? (Object) field.getValue().booleanValue()
                    : (Object) field.getValue().numberValue();
            Object expected = attribute.normalize(desired);
            pending.put(field.getKey(), expected);
            if (same(reported.get(field.getKey()), expected)) {
                // Already there: nothing to send, only the desired key to clear.
                confirm(field.getKey(), reported.get(field.getKey()));
                return;
            }
            send(attribute, desired);
        });
    }

    private void send(BoundAttribute attribute, Object desired) {
        Optional<Future<CommandResult>> sent = DeviceCommands.send(attribute, desired);
        if (sent.isEmpty()) {
            refusedDesired.incrementAndGet();
            return;
        }
        io.execute(() -> {
            try {
                CommandResult result = sent.get().get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (!result.isSuccess()) {
                    LOG.info("{}: {} was not accepted by the device (status {})", id, attribute.key(),
                            result.getStatusCode());
                }
            } catch (Exception e) {
                LOG.info("{}: no answer to the command for {}: {}", id, attribute.key(), e.toString());
            }
            // Read back: devices that report on change have already done so; the rest are confirmed here.
            attribute.cluster().readAttribute(attribute.attributeId());
        });
    }

    private void onRaw(BoundAttribute attribute, Object raw) {
        Object value;
        try {
            value = attribute.toState(raw);
        } catch (RuntimeException e) {
            LOG.debug("{}: unreadable value {} for {}", id, raw, attribute.key());
            return;
        }
        if (value == null) {
            return;
        }
        String key = attribute.key().toString();
        Object previous = reported.put(key, value);
        if (pending.containsKey(key) && same(pending.get(key), value)) {
            confirm(key, value);
        } else if (!same(previous, value)) {
            publisher.report(id, Map.of(key, value), Set.of());
        }
    }

    private void confirm(String key, Object value) {
        pending.remove(key);
        publisher.report(id, Map.of(key, value), Set.of(key));
    }

    /** The last reported value of a key; for health and tests. */
    public Object reported(String key) {
        return reported.get(key);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return a != null && a.equals(b);
    }
}
