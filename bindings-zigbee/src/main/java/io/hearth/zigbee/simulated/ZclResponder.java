package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.serialization.DefaultDeserializer;
import com.zsmartsystems.zigbee.serialization.DefaultSerializer;
import com.zsmartsystems.zigbee.zcl.ZclCommand;
import com.zsmartsystems.zigbee.zcl.ZclFieldDeserializer;
import com.zsmartsystems.zigbee.zcl.ZclFieldSerializer;
import com.zsmartsystems.zigbee.zcl.ZclFrameType;
import com.zsmartsystems.zigbee.zcl.ZclHeader;
import com.zsmartsystems.zigbee.zcl.ZclStatus;
import com.zsmartsystems.zigbee.zcl.clusters.general.ConfigureReportingCommand;
import com.zsmartsystems.zigbee.zcl.clusters.general.ConfigureReportingResponse;
import com.zsmartsystems.zigbee.zcl.clusters.general.DefaultResponse;
import com.zsmartsystems.zigbee.zcl.clusters.general.ReadAttributesResponse;
import com.zsmartsystems.zigbee.zcl.clusters.general.ReportAttributesCommand;
import com.zsmartsystems.zigbee.zcl.clusters.general.WriteAttributesResponse;
import com.zsmartsystems.zigbee.zcl.clusters.iaszone.ZoneStatusChangeNotificationCommand;
import com.zsmartsystems.zigbee.zcl.field.AttributeReport;
import com.zsmartsystems.zigbee.zcl.field.ReadAttributeStatusRecord;
import com.zsmartsystems.zigbee.zcl.field.WriteAttributeStatusRecord;
import com.zsmartsystems.zigbee.zcl.protocol.ZclCommandDirection;
import com.zsmartsystems.zigbee.zcl.protocol.ZclDataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ZCL side of a simulated device: decodes a request with the library's codec, applies it to
 * the device's attributes, and encodes the answer a real device would send.
 */
final class ZclResponder {

    private static final int READ_ATTRIBUTES = 0x00;
    private static final int WRITE_ATTRIBUTES = 0x02;
    private static final int CONFIGURE_REPORTING = 0x06;
    private static final int DEFAULT_RESPONSE = 0x0B;

    /**
     * Handles one request frame and returns the ZCL payloads to answer with, in order. An empty list
     * means no answer (a default response the request asked not to get, or one to a default response).
     */
    List<int[]> answer(SimulatedEndpoint endpoint, int clusterId, int[] frame) {
        ZclFieldDeserializer in = new ZclFieldDeserializer(new DefaultDeserializer(frame));
        ZclHeader header = new ZclHeader(in);
        SimulatedCluster cluster = endpoint.cluster(clusterId);
        List<int[]> replies = new ArrayList<>();
        if (header.getFrameType() == ZclFrameType.ENTIRE_PROFILE_COMMAND) {
            switch (header.getCommandId()) {
                case READ_ATTRIBUTES -> replies.add(readAttributes(header, cluster, clusterId, in));
                case WRITE_ATTRIBUTES -> replies.add(writeAttributes(header, cluster, in));
                case CONFIGURE_REPORTING -> replies.add(configureReporting(header, cluster, in));
                case DEFAULT_RESPONSE -> { }
                default -> defaultResponse(header, ZclStatus.UNSUP_GENERAL_COMMAND, replies);
            }
            return replies;
        }
        ZclStatus status = cluster == null ? ZclStatus.UNSUPPORTED_CLUSTER
                : ClusterCommands.apply(endpoint, cluster, header.getCommandId(), in);
        defaultResponse(header, status, replies);
        return replies;
    }

    /** Reports of the attributes that changed, one frame per cluster; IAS zones notify instead. */
    List<Outgoing> reports(SimulatedEndpoint endpoint, int sequence) {
        List<Outgoing> frames = new ArrayList<>();
        for (SimulatedCluster cluster : endpoint.clusters()) {
            Set<Integer> changed = cluster.takeChanged();
            if (changed.isEmpty()) {
                continue;
            }
            if (cluster.id() == DemoNetwork.IAS_ZONE && changed.contains(DemoNetwork.ZONE_STATUS)) {
                ZclCommand note = new ZoneStatusChangeNotificationCommand(
                        (Integer) cluster.value(DemoNetwork.ZONE_STATUS), 0, 0, 0);
                frames.add(new Outgoing(cluster.id(), encode(ZclFrameType.CLUSTER_SPECIFIC_COMMAND,
                        ZoneStatusChangeNotificationCommand.COMMAND_ID, sequence, note)));
                changed.remove(DemoNetwork.ZONE_STATUS);
            }
            if (cluster.refusesReporting()) {
                continue;
            }
            List<AttributeReport> reports = new ArrayList<>();
            for (int id : changed) {
                AttributeReport report = new AttributeReport();
                report.setAttributeIdentifier(id);
                report.setAttributeDataType(cluster.type(id));
                report.setAttributeValue(cluster.value(id));
                reports.add(report);
            }
            if (!reports.isEmpty()) {
                frames.add(new Outgoing(cluster.id(), encode(ZclFrameType.ENTIRE_PROFILE_COMMAND,
                        ReportAttributesCommand.COMMAND_ID, sequence, new ReportAttributesCommand(reports))));
            }
        }
        return frames;
    }

    /** A ZCL frame a device sends of its own accord. */
    record Outgoing(int clusterId, int[] payload) {
    }

    private int[] readAttributes(ZclHeader header, SimulatedCluster cluster, int clusterId, ZclFieldDeserializer in) {
        List<ReadAttributeStatusRecord> records = new ArrayList<>();
        while (in.getRemainingLength() >= 2) {
            int id = in.deserialize(ZclDataType.UNSIGNED_16_BIT_INTEGER);
            ReadAttributeStatusRecord record = new ReadAttributeStatusRecord();
            record.setAttributeIdentifier(id);
            if (cluster != null && cluster.has(id)) {
                record.setStatus(ZclStatus.SUCCESS);
                record.setAttributeDataType(cluster.type(id));
                record.setAttributeValue(cluster.value(id));
            } else {
                record.setStatus(ZclStatus.UNSUPPORTED_ATTRIBUTE);
            }
            records.add(record);
        }
        ReadAttributesResponse response = new ReadAttributesResponse(records);
        response.setClusterId(clusterId);
        return encode(ZclFrameType.ENTIRE_PROFILE_COMMAND, ReadAttributesResponse.COMMAND_ID,
                header.getSequenceNumber(), response);
    }

    private int[] writeAttributes(ZclHeader header, SimulatedCluster cluster, ZclFieldDeserializer in) {
        List<WriteAttributeStatusRecord> records = new ArrayList<>();
        while (in.getRemainingLength() >= 3) {
            int id = in.deserialize(ZclDataType.UNSIGNED_16_BIT_INTEGER);
            int typeId = in.deserialize(ZclDataType.UNSIGNED_8_BIT_INTEGER);
            ZclDataType type = ZclDataType.getType(typeId);
            WriteAttributeStatusRecord record = new WriteAttributeStatusRecord();
            record.setAttributeIdentifier(id);
            if (type == null) {
                record.setStatus(ZclStatus.INVALID_DATA_TYPE);
                records.add(record);
                break;
            }
            Object value = in.deserialize(type);
            if (cluster != null && cluster.has(id) && cluster.type(id) == type) {
                cluster.set(id, value);
                record.setStatus(ZclStatus.SUCCESS);
            } else {
                record.setStatus(cluster != null && cluster.has(id) ? ZclStatus.INVALID_DATA_TYPE
                        : ZclStatus.UNSUPPORTED_ATTRIBUTE);
            }
            records.add(record);
        }
        return encode(ZclFrameType.ENTIRE_PROFILE_COMMAND, WriteAttributesResponse.COMMAND_ID,
                header.getSequenceNumber(), new WriteAttributesResponse(records));
    }

    private int[] configureReporting(ZclHeader header, SimulatedCluster cluster, ZclFieldDeserializer in) {
        ConfigureReportingCommand request = new ConfigureReportingCommand();
        request.deserialize(in);
        List<Integer> ids = request.getRecords().stream().map(r -> r.getAttributeIdentifier()).toList();
        boolean refuse = cluster == null || cluster.refusesReporting();
        if (!refuse) {
            return encode(ZclFrameType.ENTIRE_PROFILE_COMMAND, 0x07, header.getSequenceNumber(),
                    new ConfigureReportingResponse(ZclStatus.SUCCESS, List.of()));
        }
        // Refusals are written by hand: the library's record encoder cannot write a failure status.
        int[] body = new int[ids.size() * 4];
        for (int i = 0; i < ids.size(); i++) {
            body[4 * i] = ZclStatus.UNREPORTABLE_ATTRIBUTE.getId();
            body[4 * i + 1] = 0;
            body[4 * i + 2] = ids.get(i) & 0xFF;
            body[4 * i + 3] = ids.get(i) >> 8 & 0xFF;
        }
        return header(0x07, header.getSequenceNumber(), ZclFrameType.ENTIRE_PROFILE_COMMAND)
                .serialize(new ZclFieldSerializer(new DefaultSerializer()), body);
    }

    private static void defaultResponse(ZclHeader request, ZclStatus status, List<int[]> replies) {
        if (request.isDisableDefaultResponse() && status == ZclStatus.SUCCESS) {
            return;
        }
        replies.add(encode(ZclFrameType.ENTIRE_PROFILE_COMMAND, DefaultResponse.COMMAND_ID,
                request.getSequenceNumber(), new DefaultResponse(request.getCommandId(), status)));
    }

    static int[] encode(ZclFrameType frameType, int commandId, int sequence, ZclCommand command) {
        ZclFieldSerializer body = new ZclFieldSerializer(new DefaultSerializer());
        command.serialize(body);
        return header(commandId, sequence, frameType).serialize(new ZclFieldSerializer(new DefaultSerializer()),
                body.getPayload());
    }

    private static ZclHeader header(int commandId, int sequence, ZclFrameType frameType) {
        ZclHeader header = new ZclHeader();
        header.setFrameType(frameType);
        header.setCommandId(commandId);
        header.setSequenceNumber(sequence & 0xFF);
        header.setDirection(ZclCommandDirection.SERVER_TO_CLIENT);
        // Unsolicited frames and responses never ask the hub for a default response.
        header.setDisableDefaultResponse(true);
        return header;
    }
}
