package io.hearth.zigbee.simulated;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An application endpoint of a simulated device: its Home Automation device type and clusters. */
final class SimulatedEndpoint {

    static final int HOME_AUTOMATION = 0x0104;

    private final int id;
    private final int deviceType;
    private final Map<Integer, SimulatedCluster> inputs = new LinkedHashMap<>();
    private final List<Integer> outputs;

    SimulatedEndpoint(int id, int deviceType, List<SimulatedCluster> inputs, List<Integer> outputs) {
        this.id = id;
        this.deviceType = deviceType;
        inputs.forEach(cluster -> this.inputs.put(cluster.id(), cluster));
        this.outputs = List.copyOf(outputs);
    }

    int id() {
        return id;
    }

    int deviceType() {
        return deviceType;
    }

    SimulatedCluster cluster(int clusterId) {
        return inputs.get(clusterId);
    }

    Iterable<SimulatedCluster> clusters() {
        return inputs.values();
    }

    List<Integer> inputIds() {
        return List.copyOf(inputs.keySet());
    }

    List<Integer> outputIds() {
        return outputs;
    }
}
