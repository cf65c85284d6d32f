package io.hearth.web.events;

import io.hearth.shadow.device.DeviceRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two looks at the device registry and says what a homeowner would notice: devices that
 * appeared or went, came online or dropped off, or got another name, room or description.
 */
final class DeviceWatch {

    /** What changed about one device between two looks. */
    sealed interface Change permits Added, Removed, Availability, Described {
        String id();
    }

    record Added(String id) implements Change {
    }

    record Removed(String id) implements Change {
    }

    record Availability(String id, Boolean online, long lastSeen) implements Change {
    }

    record Described(String id) implements Change {
    }

    private Map<String, DeviceRecord> last = Map.of();

    /** The changes since the previous call; the first call reports every device as added. */
    List<Change> next(List<DeviceRecord> now) {
        Map<String, DeviceRecord> current = new HashMap<>();
        List<Change> changes = new ArrayList<>();
        for (DeviceRecord record : now) {
            String id = record.id().value();
            current.put(id, record);
            DeviceRecord before = last.get(id);
            if (before == null) {
                changes.add(new Added(id));
                continue;
            }
            if (!Objects.equals(before.online(), record.online())) {
                changes.add(new Availability(id, record.online(), record.lastSeen()));
            }
            if (!Objects.equals(before.displayName(), record.displayName()) || !Objects.equals(before.room(), record.room())
                    || !Objects.equals(before.binding(), record.binding())
                    || !Objects.equals(before.capabilities(), record.capabilities())) {
                changes.add(new Described(id));
            }
        }
        for (String id : last.keySet()) {
            if (!current.containsKey(id)) {
                changes.add(new Removed(id));
            }
        }
        last = current;
        return changes;
    }
}
