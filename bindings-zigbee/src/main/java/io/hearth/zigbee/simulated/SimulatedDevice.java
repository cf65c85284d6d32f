package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.IeeeAddress;
import io.hearth.zigbee.network.Descriptors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A device living inside the simulated coordinator: fixed addresses, descriptors, endpoints with
 * attribute values, and a behaviour that changes those values over time the way the real kind of
 * device would.
 */
final class SimulatedDevice {

    /** How a device's readings move on each simulation tick. */
    @FunctionalInterface
    interface Behaviour {
        void tick(SimulatedDevice device, Random random);

        Behaviour NONE = (device, random) -> { };
    }

    private final String name;
    private final long ieee;
    private final int nwk;
    private final boolean mains;
    private final Map<Integer, SimulatedEndpoint> endpoints = new LinkedHashMap<>();
    private final Behaviour behaviour;

    SimulatedDevice(String name, long ieee, int nwk, boolean mains, List<SimulatedEndpoint> endpoints,
                    Behaviour behaviour) {
        this.name = name;
        this.ieee = ieee;
        this.nwk = nwk;
        this.mains = mains;
        endpoints.forEach(endpoint -> this.endpoints.put(endpoint.id(), endpoint));
        this.behaviour = behaviour;
    }

    String name() {
        return name;
    }

    long ieee() {
        return ieee;
    }

    IeeeAddress ieeeAddress() {
        return new IeeeAddress(String.format("%016X", ieee));
    }

    int nwk() {
        return nwk;
    }

    int[] nodeDescriptor() {
        if (nwk == 0) {
            return Descriptors.nodeDescriptor(Descriptors.COORDINATOR, Descriptors.MAC_FULL_FUNCTION
                    | Descriptors.MAC_MAINS_POWER | Descriptors.MAC_RECEIVER_ON_WHEN_IDLE | Descriptors.MAC_ALLOCATE_ADDRESS, 0x1234);
        }
        // Mains devices route; battery devices are sleepy end devices.
        return mains
                ? Descriptors.nodeDescriptor(Descriptors.ROUTER, Descriptors.MAC_FULL_FUNCTION | Descriptors.MAC_MAINS_POWER
                        | Descriptors.MAC_RECEIVER_ON_WHEN_IDLE | Descriptors.MAC_ALLOCATE_ADDRESS, 0x1234)
                : Descriptors.nodeDescriptor(Descriptors.END_DEVICE, Descriptors.MAC_ALLOCATE_ADDRESS, 0x1234);
    }

    boolean mains() {
        return mains;
    }

    int[] powerDescriptor() {
        return Descriptors.powerDescriptor(mains ? Descriptors.POWER_MAINS : Descriptors.POWER_DISPOSABLE_BATTERY);
    }

    SimulatedEndpoint endpoint(int id) {
        return endpoints.get(id);
    }

    Iterable<SimulatedEndpoint> endpoints() {
        return endpoints.values();
    }

    List<Integer> endpointIds() {
        return List.copyOf(endpoints.keySet());
    }

    /** The first endpoint's cluster with this id, or null. */
    SimulatedCluster cluster(int clusterId) {
        for (SimulatedEndpoint endpoint : endpoints.values()) {
            SimulatedCluster cluster = endpoint.cluster(clusterId);
            if (cluster != null) {
                return cluster;
            }
        }
        return null;
    }

    synchronized void tick(Random random) {
        behaviour.tick(this, random);
    }
}
