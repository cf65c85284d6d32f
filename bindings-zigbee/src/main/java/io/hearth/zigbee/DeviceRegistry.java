package io.hearth.zigbee;

import com.fasterxml.jackson.databind.JsonNode;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeNetworkManager;
import com.zsmartsystems.zigbee.ZigBeeNode;
import io.hearth.core.device.DeviceId;
import io.hearth.zigbee.availability.AvailabilityTracker;
import io.hearth.zigbee.device.DevicePublisher;
import io.hearth.zigbee.device.Interview;
import io.hearth.zigbee.device.InterviewException;
import io.hearth.zigbee.device.ReportingSetup;
import io.hearth.zigbee.device.ZigbeeDeviceProxy;
import io.hearth.zigbee.pairing.PairingWindow;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which nodes of the network are Hearth devices: interviews nodes once their endpoints are known,
 * keeps one {@link ZigbeeDeviceProxy} per device, and forgets devices that leave. Every method runs
 * on the binding's state thread; interviews run on the I/O pool and report back to it.
 */
final class DeviceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

    /** Read from other threads (health, tests); changed only on the state thread. */
    private final Map<IeeeAddress, ZigbeeDeviceProxy> proxies = new ConcurrentHashMap<>();
    private final Set<IeeeAddress> interviewing = new HashSet<>();
    private final Set<IeeeAddress> failed = new HashSet<>();
    private final Set<IeeeAddress> removing = new HashSet<>();
    private final DevicePublisher publisher;
    private final AvailabilityTracker availability;
    private final PairingWindow pairing;
    private final Executor state;
    private final Executor io;
    private final Clock clock;
    private final Predicate<ZigBeeNetworkManager> isCurrent;
    private final AtomicLong refusedDesired = new AtomicLong();

    DeviceRegistry(DevicePublisher publisher, AvailabilityTracker availability, PairingWindow pairing, Executor state,
                   Executor io, Clock clock, Predicate<ZigBeeNetworkManager> isCurrent) {
        this.isCurrent = isCurrent;
        this.publisher = publisher;
        this.availability = availability;
        this.pairing = pairing;
        this.state = state;
        this.io = io;
        this.clock = clock;
    }

    /** Starts an interview for a node of {@code network} that is discovered and not yet a device. */
    void consider(ZigBeeNetworkManager network, ZigBeeNode node) {
        IeeeAddress ieee = node.getIeeeAddress();
        if (ieee.equals(network.getLocalIeeeAddress()) || removing.contains(ieee)) {
            return;
        }
        DeviceId id = ZigbeeDeviceProxy.idOf(ieee);
        if (!proxies.containsKey(ieee)) {
            pairing.announced(id);
        }
        if (proxies.containsKey(ieee) || interviewing.contains(ieee) || failed.contains(ieee)
                || node.getEndpoints().isEmpty()) {
            return;
        }
        interviewing.add(ieee);
        io.execute(() -> {
            try {
                Interview.Result result = Interview.run(node);
                state.execute(() -> adopt(network, node, result));
            } catch (InterviewException e) {
                state.execute(() -> {
                    interviewing.remove(ieee);
                    failed.add(ieee);
                    pairing.failed(id, e.getMessage());
                    LOG.warn("Zigbee device {} cannot be used: {}", id, e.getMessage());
                });
            } catch (RuntimeException e) {
                state.execute(() -> {
                    interviewing.remove(ieee);
                    String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                    pairing.failed(id, "setting it up failed (" + what + "). Reset it and pair it again, close to the hub.");
                    LOG.warn("Zigbee device {}: interview failed", id, e);
                });
            }
        });
    }

    private void adopt(ZigBeeNetworkManager network, ZigBeeNode node, Interview.Result result) {
        interviewing.remove(node.getIeeeAddress());
        if (removing.contains(node.getIeeeAddress()) || !isCurrent.test(network)) {
            return;
        }
        ZigbeeDeviceProxy proxy = new ZigbeeDeviceProxy(node, result, publisher, state, io, clock.instant(),
                refusedDesired);
        proxies.put(node.getIeeeAddress(), proxy);
        proxy.attach(new ReportingSetup(network.getLocalIeeeAddress()));
        availability.heard(proxy);
        pairing.interviewed(proxy.id());
        LOG.info("Zigbee device {} ready: {} ({} keys)", proxy.id(), proxy.name(), result.attributes().size());
    }

    /** The device sent something. */
    void heard(IeeeAddress ieee) {
        ZigbeeDeviceProxy proxy = proxies.get(ieee);
        if (proxy != null) {
            availability.heard(proxy);
            }
    }

    /** The device is on its way out; it is not adopted again while the stack still lists it. */
    void leaving(IeeeAddress ieee) {
        removing.add(ieee);
        forget(ieee);
    }

    /** The stack dropped the node. */
    void removed(IeeeAddress ieee) {
        forget(ieee);
        removing.remove(ieee);
    }

    private void forget(IeeeAddress ieee) {
        ZigbeeDeviceProxy proxy = proxies.remove(ieee);
        failed.remove(ieee);
        if (proxy != null) {
            proxy.detach();
            availability.forget(proxy);
            publisher.forget(proxy.id());
                LOG.info("Zigbee device {} ({}) removed", proxy.id(), proxy.name());
        }
    }

    /** The coordinator is gone: every device is unreachable until the network is back and they are adopted again. */
    void dropAll() {
        for (ZigbeeDeviceProxy proxy : proxies.values()) {
            proxy.detach();
            proxy.setOnline(false);
        }
        proxies.clear();
        interviewing.clear();
    }

    /** Detaches from the stack without telling anyone: the hub is stopping. */
    void detachAll() {
        proxies.values().forEach(ZigbeeDeviceProxy::detach);
        proxies.clear();
        interviewing.clear();
    }

    /** Hands a delta's {@code state} to the device it is for; returns false when no device has that id. */
    boolean deliver(String thing, JsonNode delta) {
        for (ZigbeeDeviceProxy proxy : proxies.values()) {
            if (proxy.id().value().equals(thing)) {
                proxy.onDelta(delta);
                return true;
            }
        }
        return false;
    }

    void checkAvailability() {
        availability.check(List.copyOf(proxies.values()));
    }

    void poll() {
        proxies.values().forEach(ZigbeeDeviceProxy::poll);
    }

    Map<DeviceId, ZigbeeDeviceProxy> byId() {
        Map<DeviceId, ZigbeeDeviceProxy> byId = new LinkedHashMap<>();
        proxies.values().forEach(p -> byId.put(p.id(), p));
        return byId;
    }

    int size() {
        return proxies.size();
    }

    long online() {
        return proxies.values().stream().filter(ZigbeeDeviceProxy::online).count();
    }

    long refusedDesired() {
        return refusedDesired.get();
    }
}
