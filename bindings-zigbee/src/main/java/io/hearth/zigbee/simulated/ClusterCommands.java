package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.zcl.ZclFieldDeserializer;
import com.zsmartsystems.zigbee.zcl.ZclStatus;
import com.zsmartsystems.zigbee.zcl.protocol.ZclDataType;

/** What the cluster-specific commands a simulated device understands do to its attributes. */
final class ClusterCommands {

    private static final int OFF = 0x00;
    private static final int ON = 0x01;
    private static final int TOGGLE = 0x02;
    private static final int MOVE_TO_LEVEL = 0x00;
    private static final int MOVE_TO_LEVEL_WITH_ON_OFF = 0x04;
    private static final int MOVE_TO_COLOR_TEMPERATURE = 0x0A;
    private static final int ZONE_ENROLL_RESPONSE = 0x00;

    private ClusterCommands() {
    }

    static ZclStatus apply(SimulatedEndpoint endpoint, SimulatedCluster cluster, int commandId, ZclFieldDeserializer in) {
        return switch (cluster.id()) {
            case DemoNetwork.ON_OFF -> onOff(cluster, commandId);
            case DemoNetwork.LEVEL_CONTROL -> level(endpoint, cluster, commandId, in);
            case DemoNetwork.COLOR_CONTROL -> color(cluster, commandId, in);
            case DemoNetwork.IAS_ZONE -> commandId == ZONE_ENROLL_RESPONSE ? ZclStatus.SUCCESS
                    : ZclStatus.UNSUP_CLUSTER_COMMAND;
            default -> ZclStatus.UNSUP_CLUSTER_COMMAND;
        };
    }

    private static ZclStatus onOff(SimulatedCluster cluster, int commandId) {
        switch (commandId) {
            case OFF -> cluster.set(0x0000, false);
            case ON -> cluster.set(0x0000, true);
            case TOGGLE -> cluster.set(0x0000, !(Boolean) cluster.value(0x0000));
            default -> {
                return ZclStatus.UNSUP_CLUSTER_COMMAND;
            }
        }
        return ZclStatus.SUCCESS;
    }

    private static ZclStatus level(SimulatedEndpoint endpoint, SimulatedCluster cluster, int commandId, ZclFieldDeserializer in) {
        if (commandId != MOVE_TO_LEVEL && commandId != MOVE_TO_LEVEL_WITH_ON_OFF) {
            return ZclStatus.UNSUP_CLUSTER_COMMAND;
        }
        if (in.getRemainingLength() < 3) {
            return ZclStatus.MALFORMED_COMMAND;
        }
        int level = in.deserialize(ZclDataType.UNSIGNED_8_BIT_INTEGER);
        if (level > 254) {
            return ZclStatus.INVALID_VALUE;
        }
        cluster.set(0x0000, level);
        SimulatedCluster onOff = endpoint.cluster(DemoNetwork.ON_OFF);
        if (commandId == MOVE_TO_LEVEL_WITH_ON_OFF && onOff != null) {
            onOff.set(0x0000, level > 1);
        }
        return ZclStatus.SUCCESS;
    }

    private static ZclStatus color(SimulatedCluster cluster, int commandId, ZclFieldDeserializer in) {
        if (commandId != MOVE_TO_COLOR_TEMPERATURE) {
            return ZclStatus.UNSUP_CLUSTER_COMMAND;
        }
        if (in.getRemainingLength() < 4) {
            return ZclStatus.MALFORMED_COMMAND;
        }
        int mireds = in.deserialize(ZclDataType.UNSIGNED_16_BIT_INTEGER);
        // A tunable-white bulb covers about 2200 K to 6500 K.
        cluster.set(0x0007, Math.max(153, Math.min(454, mireds)));
        return ZclStatus.SUCCESS;
    }
}
