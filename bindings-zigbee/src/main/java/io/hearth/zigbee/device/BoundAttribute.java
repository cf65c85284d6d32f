package io.hearth.zigbee.device;

import com.zsmartsystems.zigbee.zcl.ZclCluster;
import io.hearth.core.device.Capability;
import io.hearth.core.device.StateKey;

/**
 * One state key of a device tied to the attribute that carries it on one of the device's clusters.
 *
 * @param conversion how raw values convert; null for an IAS zone's status bit
 * @param scale the device's multiplier ÷ divisor for the reading (1 when it has none)
 * @param range the values this device accepts, narrower than the vocabulary's, or null
 */
public record BoundAttribute(StateKey key, ZclCluster cluster, int attributeId, Conversion conversion, double scale,
                             ClusterMapping.Reporting reporting, Range range) {

    /** A device's own limits for a key (a bulb's warmest and coldest white). */
    public record Range(double min, double max) {
    }

    public int clusterId() {
        return cluster.getClusterId();
    }

    public boolean isZoneStatus() {
        return conversion == null;
    }

    /** The vocabulary value of a raw reading, or null when the reading carries none. */
    public Object toState(Object raw) {
        if (raw == null) {
            return null;
        }
        if (isZoneStatus()) {
            return ClusterMapping.iasZoneValue(key.property(), ((Number) raw).intValue());
        }
        return conversion.toState(raw, scale);
    }

    /** What a desired value will read back as once the device has applied it (levels are coarser than percent). */
    public Object normalize(Object desired) {
        return conversion.toState(conversion.toZcl(desired), scale);
    }

    public Capability capability() {
        Capability capability = key.part() == 1 ? key.property().capability() : key.property().capability(key.part());
        return range == null ? capability : capability.withRange(range.min(), range.max());
    }
}
