package io.hearth.shadow.device;

import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceId;
import java.util.List;

/**
 * A device as the registry knows it.
 *
 * @param name the homeowner's name for it, or null to use {@code describedName}
 * @param describedName the name the device or its binding gave itself, or null
 * @param binding the binding that proxies it, or null for a device speaking MQTT itself
 * @param online true or false once the device has said; null before
 * @param lastSeen epoch milliseconds of the last report or availability message, or 0
 */
public record DeviceRecord(DeviceId id, String name, String room, String describedName, String binding,
                           List<Capability> capabilities, Boolean online, long lastSeen, long createdAt) {

    public DeviceRecord {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** The name to show: the homeowner's, else the device's own, else its id. */
    public String displayName() {
        return name != null ? name : describedName != null ? describedName : id.value();
    }

    public Capability capability(String key) {
        for (Capability capability : capabilities) {
            if (capability.key().equals(key)) {
                return capability;
            }
        }
        return null;
    }

    DeviceRecord withNames(String newName, String newRoom) {
        return new DeviceRecord(id, newName, newRoom, describedName, binding, capabilities, online, lastSeen, createdAt);
    }

    DeviceRecord withDescription(String newDescribedName, String newBinding, List<Capability> newCapabilities) {
        return new DeviceRecord(id, name, room, newDescribedName, newBinding, newCapabilities, online, lastSeen, createdAt);
    }

    DeviceRecord withAvailability(Boolean newOnline, long seen) {
        return new DeviceRecord(id, name, room, describedName, binding, capabilities, newOnline,
                Math.max(lastSeen, seen), createdAt);
    }

    DeviceRecord seenAt(long seen) {
        return withAvailability(online, seen);
    }
}
