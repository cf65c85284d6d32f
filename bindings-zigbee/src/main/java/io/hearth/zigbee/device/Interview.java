package io.hearth.zigbee.device;

import com.zsmartsystems.zigbee.ZigBeeEndpoint;
import com.zsmartsystems.zigbee.ZigBeeNode;
import com.zsmartsystems.zigbee.zcl.ZclAttribute;
import com.zsmartsystems.zigbee.zcl.ZclCluster;
import io.hearth.core.device.StateKey;
import io.hearth.core.device.StateProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds out what a discovered node is: its name, whether it runs on mains, and which of its
 * attributes carry which state keys. Reads attributes from the device, so it blocks; it runs on
 * the binding's I/O threads, never on a broker or library thread.
 */
public final class Interview {

    private static final int BASIC = 0x0000;
    private static final int MANUFACTURER_NAME = 0x0004;
    private static final int MODEL_IDENTIFIER = 0x0005;
    private static final int POWER_SOURCE = 0x0007;
    private static final int LOCATION_DESCRIPTION = 0x0010;
    private static final int COLOR_TEMPERATURE_MIN = 0x400B;
    private static final int COLOR_TEMPERATURE_MAX = 0x400C;

    /** What the interview found. */
    public record Result(String name, boolean mains, List<BoundAttribute> attributes) {
    }

    private Interview() {
    }

    public static Result run(ZigBeeNode node) throws InterviewException {
        List<ZigBeeEndpoint> endpoints = new ArrayList<>(node.getEndpoints());
        endpoints.sort(Comparator.comparingInt(ZigBeeEndpoint::getEndpointId));
        if (endpoints.isEmpty()) {
            throw new InterviewException("it joined but did not say what it can do. Reset it and pair it again, close to the hub.");
        }
        Map<StateProperty, Integer> parts = new EnumMap<>(StateProperty.class);
        List<BoundAttribute> attributes = new ArrayList<>();
        for (ZigBeeEndpoint endpoint : endpoints) {
            for (int clusterId : endpoint.getInputClusterIds()) {
                ZclCluster cluster = endpoint.getInputCluster(clusterId);
                if (cluster == null) {
                    continue;
                }
                if (clusterId == ClusterMapping.IAS_ZONE) {
                    zone(cluster).ifPresent(property -> attributes.add(new BoundAttribute(next(parts, property),
                            cluster, ClusterMapping.IAS_ZONE_STATUS, null, 1, null, null)));
                    continue;
                }
                for (ClusterMapping mapping : ClusterMapping.forCluster(clusterId)) {
                    if (mapping.optional() && read(cluster, mapping.attributeId()) == null) {
                        continue;
                    }
                    attributes.add(new BoundAttribute(next(parts, mapping.property()), cluster, mapping.attributeId(),
                            mapping.conversion(), scale(cluster, mapping.scale()), mapping.reporting(),
                            range(cluster, mapping)));
                }
            }
        }
        if (attributes.isEmpty()) {
            // Said to the homeowner as it is: the cluster numbers would mean nothing to them.
            throw new InterviewException("it joined, but it offers nothing Hearth can use (no switch, dimmer or sensor "
                    + "that Hearth knows), so this model is not supported yet. Reset the device to make it leave the network.");
        }
        return new Result(name(node, endpoints), mains(node, endpoints), attributes);
    }

    private static StateKey next(Map<StateProperty, Integer> parts, StateProperty property) {
        return StateKey.of(property, parts.merge(property, 1, Integer::sum));
    }

    private static Optional<StateProperty> zone(ZclCluster cluster) {
        Object type = read(cluster, ClusterMapping.IAS_ZONE_TYPE);
        return type instanceof Number n ? ClusterMapping.iasZoneProperty(n.intValue()) : Optional.empty();
    }

    /**
     * The colour temperatures the bulb can show: a desired value outside them could never be
     * reported back, so the capability says so up front.
     */
    private static BoundAttribute.Range range(ZclCluster cluster, ClusterMapping mapping) {
        if (mapping.property() != StateProperty.COLOR_TEMP) {
            return null;
        }
        Object min = read(cluster, COLOR_TEMPERATURE_MIN);
        Object max = read(cluster, COLOR_TEMPERATURE_MAX);
        if (min instanceof Number low && max instanceof Number high && low.intValue() > 0
                && low.intValue() <= high.intValue() && high.intValue() < 0xFFFF) {
            return new BoundAttribute.Range(low.intValue(), high.intValue());
        }
        return null;
    }

    private static double scale(ZclCluster cluster, ClusterMapping.Scale scale) {
        if (scale == null) {
            return 1;
        }
        Object multiplier = read(cluster, scale.multiplierAttribute());
        Object divisor = read(cluster, scale.divisorAttribute());
        int m = multiplier instanceof Number n && n.intValue() > 0 ? n.intValue() : scale.defaultMultiplier();
        int d = divisor instanceof Number n && n.intValue() > 0 ? n.intValue() : scale.defaultDivisor();
        return (double) m / d;
    }

    /**
     * The name a homeowner would recognise: the location the device was given, else manufacturer
     * and model, else its address.
     */
    private static String name(ZigBeeNode node, List<ZigBeeEndpoint> endpoints) {
        ZclCluster basic = basic(endpoints);
        if (basic != null) {
            Object location = read(basic, LOCATION_DESCRIPTION);
            if (location instanceof String text && !text.isBlank()) {
                return text.trim();
            }
            Object manufacturer = read(basic, MANUFACTURER_NAME);
            Object model = read(basic, MODEL_IDENTIFIER);
            if (model instanceof String text && !text.isBlank()) {
                return (manufacturer instanceof String m && !m.isBlank() ? m.trim() + " " : "") + text.trim();
            }
        }
        return "Zigbee device " + node.getIeeeAddress();
    }

    private static boolean mains(ZigBeeNode node, List<ZigBeeEndpoint> endpoints) {
        if (node.getNodeDescriptor() != null && node.getNodeDescriptor().getMacCapabilities() != null) {
            return node.getNodeDescriptor().getMacCapabilities()
                    .contains(com.zsmartsystems.zigbee.zdo.field.NodeDescriptor.MacCapabilitiesType.MAINS_POWER);
        }
        ZclCluster basic = basic(endpoints);
        Object source = basic == null ? null : read(basic, POWER_SOURCE);
        // Power source 0x03 is battery; anything else (mains variants, unknown) counts as always on.
        return !(source instanceof Number n) || (n.intValue() & 0x7F) != 0x03;
    }

    private static ZclCluster basic(List<ZigBeeEndpoint> endpoints) {
        for (ZigBeeEndpoint endpoint : endpoints) {
            ZclCluster basic = endpoint.getInputCluster(BASIC);
            if (basic != null) {
                return basic;
            }
        }
        return null;
    }

    private static Object read(ZclCluster cluster, int attributeId) {
        ZclAttribute attribute = cluster.getAttribute(attributeId);
        if (attribute == null) {
            return null;
        }
        try {
            // These attributes describe the device and do not change: a value read before is good enough.
            return attribute.readValue(Long.MAX_VALUE);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
