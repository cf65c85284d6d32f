package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingJsonTest {

    @Test
    void aPairingStatusReadsAsTheContractSaysWithDeviceIdsAsPlainText() {
        PairingStatus status = new PairingStatus("zigbee", true, 42,
                List.of(DeviceId.of("zigbee-00124b0010000006"), DeviceId.of("zigbee-00124b0010000007")),
                List.of(new PairingStatus.Failure(DeviceId.of("zigbee-00124b0010000008"), "It stopped answering.")));
        assertThat(PairingJson.of(status).toString()).isEqualTo("{\"binding\":\"zigbee\",\"open\":true,\"secondsLeft\":42,"
                + "\"joined\":[\"zigbee-00124b0010000006\",\"zigbee-00124b0010000007\"],"
                + "\"failed\":[{\"id\":\"zigbee-00124b0010000008\",\"reason\":\"It stopped answering.\"}]}");
        assertThat(PairingJson.of(PairingStatus.closed("serial")).toString())
                .isEqualTo("{\"binding\":\"serial\",\"open\":false,\"secondsLeft\":0,\"joined\":[],\"failed\":[]}");
    }
}
