package io.hearth.zigbee.device;

import com.zsmartsystems.zigbee.CommandResult;
import com.zsmartsystems.zigbee.zcl.clusters.ZclColorControlCluster;
import com.zsmartsystems.zigbee.zcl.clusters.ZclLevelControlCluster;
import com.zsmartsystems.zigbee.zcl.clusters.ZclOnOffCluster;
import com.zsmartsystems.zigbee.zcl.clusters.colorcontrol.MoveToColorTemperatureCommand;
import com.zsmartsystems.zigbee.zcl.clusters.levelcontrol.MoveToLevelCommand;
import com.zsmartsystems.zigbee.zcl.clusters.onoff.OffCommand;
import com.zsmartsystems.zigbee.zcl.clusters.onoff.OnCommand;
import java.util.Optional;
import java.util.concurrent.Future;

/** Sends the ZCL command that brings a writable key to a desired value. */
public final class DeviceCommands {

    private DeviceCommands() {
    }

    /**
     * Sends the command for {@code value}, or returns empty when the key cannot be written.
     * Brightness moves the level only: switching on and off stays with {@code on}, so a desired
     * state with both keys means exactly what it says.
     */
    public static Optional<Future<CommandResult>> send(BoundAttribute attribute, Object value) {
        if (attribute.isZoneStatus()) {
            return Optional.empty();
        }
        if (attribute.cluster() instanceof ZclOnOffCluster onOff && value instanceof Boolean on) {
            return Optional.of(onOff.sendCommand(on ? new OnCommand() : new OffCommand()));
        }
        if (attribute.cluster() instanceof ZclLevelControlCluster level && value instanceof Number) {
            return Optional.of(level.sendCommand(new MoveToLevelCommand((Integer) attribute.conversion().toZcl(value), 0)));
        }
        if (attribute.cluster() instanceof ZclColorControlCluster color && value instanceof Number) {
            return Optional.of(color.sendCommand(new MoveToColorTemperatureCommand(
                    (Integer) attribute.conversion().toZcl(value), 0)));
        }
        return Optional.empty();
    }
}
