package io.hearth.zigbee.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.database.ZclClusterDao;
import com.zsmartsystems.zigbee.database.ZigBeeEndpointDao;
import com.zsmartsystems.zigbee.database.ZigBeeNodeDao;
import com.zsmartsystems.zigbee.zdo.field.NodeDescriptor;
import com.zsmartsystems.zigbee.zdo.field.PowerDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes the part of a node's record that lets the stack resume without rediscovery: address,
 * descriptors and endpoints with their cluster lists. Attribute values are left out on purpose;
 * they are re-read after a restart, so a stale value is never reported as current.
 */
public final class NodeRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String write(ZigBeeNodeDao node) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ieee", node.getIeeeAddress().toString());
        if (node.getNetworkAddress() != null) {
            root.put("nwk", node.getNetworkAddress());
        }
        NodeDescriptor nd = node.getNodeDescriptor();
        if (nd != null && nd.getLogicalType() != NodeDescriptor.LogicalType.UNKNOWN) {
            root.put("nodeDescriptor", Descriptors.hex(Descriptors.encode(nd)));
        }
        PowerDescriptor pd = node.getPowerDescriptor();
        if (pd != null && pd.getCurrentPowerMode() != PowerDescriptor.CurrentPowerModeType.UNKNOWN) {
            root.put("powerDescriptor", Descriptors.hex(Descriptors.encode(pd)));
        }
        ArrayNode endpoints = root.putArray("endpoints");
        for (ZigBeeEndpointDao endpoint : node.getEndpoints() == null ? List.<ZigBeeEndpointDao>of() : node.getEndpoints()) {
            ObjectNode e = endpoints.addObject();
            e.put("id", endpoint.getEndpointId());
            e.put("profile", endpoint.getProfileId() == null ? 0 : endpoint.getProfileId());
            e.put("device", endpoint.getDeviceId() == null ? 0 : endpoint.getDeviceId());
            e.put("version", endpoint.getDeviceVersion() == null ? 0 : endpoint.getDeviceVersion());
            // The stack fills the cluster records, not the id lists, when it hands a node over.
            ints(e.putArray("in"), endpoint.getInputClusters().stream().map(ZclClusterDao::getClusterId).toList());
            ints(e.putArray("out"), endpoint.getOutputClusters().stream().map(ZclClusterDao::getClusterId).toList());
        }
        return root.toString();
    }

    public ZigBeeNodeDao read(String text) throws java.io.IOException {
        JsonNode root = JSON.readTree(text);
        ZigBeeNodeDao node = new ZigBeeNodeDao();
        node.setIeeeAddress(new IeeeAddress(root.path("ieee").asText()));
        if (root.has("nwk")) {
            node.setNetworkAddress(root.get("nwk").asInt());
        }
        if (root.has("nodeDescriptor")) {
            NodeDescriptor nd = Descriptors.nodeDescriptor(Descriptors.unhex(root.get("nodeDescriptor").asText()));
            node.setNodeDescriptor(nd);
            node.setMacCapabilities(nd.getMacCapabilities());
        }
        if (root.has("powerDescriptor")) {
            node.setPowerDescriptor(Descriptors.powerDescriptor(Descriptors.unhex(root.get("powerDescriptor").asText())));
        }
        List<ZigBeeEndpointDao> endpoints = new ArrayList<>();
        for (JsonNode e : root.path("endpoints")) {
            ZigBeeEndpointDao endpoint = new ZigBeeEndpointDao();
            endpoint.setEndpointId(e.path("id").asInt());
            endpoint.setProfileId(e.path("profile").asInt());
            endpoint.setDeviceId(e.path("device").asInt());
            endpoint.setDeviceVersion(e.path("version").asInt());
            List<Integer> in = ints(e.path("in"));
            List<Integer> out = ints(e.path("out"));
            endpoint.setInputClusterIds(in);
            endpoint.setOutputClusterIds(out);
            endpoint.setInputClusters(clusters(in, false));
            endpoint.setOutputClusters(clusters(out, true));
            endpoints.add(endpoint);
        }
        node.setEndpoints(endpoints);
        return node;
    }

    /** Clusters with nothing known about them yet: the stack fills attributes in as they are read. */
    private static List<ZclClusterDao> clusters(List<Integer> ids, boolean client) {
        List<ZclClusterDao> clusters = new ArrayList<>();
        for (int id : ids) {
            ZclClusterDao cluster = new ZclClusterDao();
            cluster.setClusterId(id);
            cluster.setClient(client);
            cluster.setAttributes(Map.of());
            cluster.setSupportedCommandsGenerated(new HashSet<>());
            cluster.setSupportedCommandsReceived(new HashSet<>());
            clusters.add(cluster);
        }
        return clusters;
    }

    private static void ints(ArrayNode array, Collection<Integer> values) {
        if (values != null) {
            values.forEach(array::add);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
