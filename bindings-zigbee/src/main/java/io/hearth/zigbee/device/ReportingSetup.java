package io.hearth.zigbee.device;

import com.zsmartsystems.zigbee.CommandResult;
import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeNode;
import com.zsmartsystems.zigbee.zcl.ZclStatus;
import com.zsmartsystems.zigbee.zcl.clusters.general.ConfigureReportingResponse;
import com.zsmartsystems.zigbee.zcl.field.AttributeStatusRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a device to report its attributes to the hub: binds each cluster to the coordinator and
 * configures reporting intervals. Blocks on the radio; runs on the binding's I/O threads.
 */
public final class ReportingSetup {

    private static final Logger LOG = LoggerFactory.getLogger(ReportingSetup.class);
    private static final long ANSWER_TIMEOUT_SECONDS = 15;

    private final IeeeAddress coordinator;

    public ReportingSetup(IeeeAddress coordinator) {
        this.coordinator = coordinator;
    }

    /** Returns the attributes the device refused (or did not answer for): they must be polled. */
    public Set<BoundAttribute> configure(ZigBeeNode node, List<BoundAttribute> attributes) {
        Set<BoundAttribute> refused = new LinkedHashSet<>();
        Set<Integer> bound = new LinkedHashSet<>();
        for (BoundAttribute attribute : attributes) {
            // IAS zones send zone status notifications to the enrolled CIE; there is nothing to configure.
            if (attribute.isZoneStatus()) {
                continue;
            }
            if (bound.add(attribute.clusterId())) {
                try {
                    // The library answers null instead of a future when it cannot build the request.
                    var binding = attribute.cluster().bind(coordinator, 1);
                    if (binding != null) {
                        binding.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    LOG.debug("{}: binding cluster {} failed: {}", node.getIeeeAddress(), attribute.clusterId(), e.toString());
                }
            }
            if (!configured(attribute)) {
                refused.add(attribute);
            }
        }
        if (!refused.isEmpty()) {
            LOG.info("{}: {} attribute(s) will be polled: the device does not report them", node.getIeeeAddress(),
                    refused.size());
        }
        return refused;
    }

    private static boolean configured(BoundAttribute attribute) {
        ClusterMapping.Reporting reporting = attribute.reporting();
        try {
            CommandResult result = (reporting.change() == null
                    ? attribute.cluster().setReporting(attribute.attributeId(), reporting.minSeconds(), reporting.maxSeconds())
                    : attribute.cluster().setReporting(attribute.attributeId(), reporting.minSeconds(),
                            reporting.maxSeconds(), reporting.change()))
                    .get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!result.isSuccess() || !(result.getResponse() instanceof ConfigureReportingResponse response)) {
                return false;
            }
            if (response.getStatus() == ZclStatus.SUCCESS) {
                return true;
            }
            List<AttributeStatusRecord> records = response.getRecords();
            return records != null && !records.isEmpty()
                    && records.stream().allMatch(r -> r.getStatus() == ZclStatus.SUCCESS);
        } catch (Exception e) {
            return false;
        }
    }
}
