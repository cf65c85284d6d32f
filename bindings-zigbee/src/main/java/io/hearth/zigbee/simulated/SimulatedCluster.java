package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.zcl.protocol.ZclDataType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The server side of one cluster on a simulated device: typed attribute values, and which of them
 * changed since they were last reported. Guarded by the owning device's lock.
 */
final class SimulatedCluster {

    private final int clusterId;
    private final Map<Integer, ZclDataType> types = new LinkedHashMap<>();
    private final Map<Integer, Object> values = new LinkedHashMap<>();
    private final Set<Integer> changed = new LinkedHashSet<>();
    private boolean refusesReporting;

    SimulatedCluster(int clusterId) {
        this.clusterId = clusterId;
    }

    int id() {
        return clusterId;
    }

    SimulatedCluster attribute(int id, ZclDataType type, Object value) {
        types.put(id, type);
        values.put(id, value);
        return this;
    }

    /** Like many cheap sensors, answers Configure Reporting with "unreportable", so the hub must poll. */
    SimulatedCluster refusingReporting() {
        refusesReporting = true;
        return this;
    }

    boolean refusesReporting() {
        return refusesReporting;
    }

    boolean has(int attributeId) {
        return types.containsKey(attributeId);
    }

    ZclDataType type(int attributeId) {
        return types.get(attributeId);
    }

    Object value(int attributeId) {
        return values.get(attributeId);
    }

    /** Sets a value; a different value is marked for the next report. */
    void set(int attributeId, Object value) {
        if (!types.containsKey(attributeId)) {
            throw new IllegalArgumentException("cluster " + clusterId + " has no attribute " + attributeId);
        }
        Object old = values.put(attributeId, value);
        if (!value.equals(old)) {
            changed.add(attributeId);
        }
    }

    /** The attributes changed since the last call, in change order. */
    Set<Integer> takeChanged() {
        Set<Integer> taken = new LinkedHashSet<>(changed);
        changed.clear();
        return taken;
    }
}
