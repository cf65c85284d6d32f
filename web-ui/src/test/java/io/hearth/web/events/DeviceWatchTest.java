package io.hearth.web.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.shadow.device.DeviceRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceWatchTest {

    private static DeviceRecord lamp(String room, Boolean online, long lastSeen) {
        return new DeviceRecord(DeviceId.of("zigbee-00124b0001a2b3c4"), null, room, "Living room lamp", "zigbee", List.of(),
                online, lastSeen, 1);
    }

    @Test
    void aDeviceSeenForTheFirstTimeIsAddedAndOneThatIsGoneIsRemoved() {
        DeviceWatch watch = new DeviceWatch();
        assertThat(watch.next(List.of(lamp(null, true, 5)))).containsExactly(new DeviceWatch.Added("zigbee-00124b0001a2b3c4"));
        assertThat(watch.next(List.of())).containsExactly(new DeviceWatch.Removed("zigbee-00124b0001a2b3c4"));
    }

    @Test
    void goingOfflineAndMovingRoomsAreToldButANewReportAloneIsNot() {
        DeviceWatch watch = new DeviceWatch();
        watch.next(List.of(lamp(null, true, 5)));
        assertThat(watch.next(List.of(lamp(null, true, 9)))).isEmpty();
        assertThat(watch.next(List.of(lamp(null, false, 12))))
                .containsExactly(new DeviceWatch.Availability("zigbee-00124b0001a2b3c4", false, 12));
        assertThat(watch.next(List.of(lamp("Living room", false, 12))))
                .containsExactly(new DeviceWatch.Described("zigbee-00124b0001a2b3c4"));
    }
}
