package io.hearth.serial.mysensors;

import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.StateProperty;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.device.KeyAllocator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a MySensors node presented: its sketch and its children, and from them the state keys the
 * node has. Keys are given in child-id order, so two temperature children become
 * {@code temperature} (lower child id) and {@code temperature_2}.
 *
 * @param children every presented child, including kinds the binding does not map (kind code kept)
 * @param battery true once the node has reported a battery level
 */
public record NodeLayout(int node, String sketchName, String sketchVersion, List<Child> children, boolean battery) {

    /** A presented child: its id and {@code S_} type code. */
    public record Child(int id, int sensorType) {
    }

    /** A child's value as a state key. */
    public record Channel(int child, Reading reading, String key) {
    }

    public NodeLayout {
        List<Child> sorted = new ArrayList<>(children);
        sorted.sort(Comparator.comparingInt(Child::id));
        children = List.copyOf(sorted);
    }

    public static NodeLayout empty(int node) {
        return new NodeLayout(node, null, null, List.of(), false);
    }

    public NodeLayout withChild(Child child) {
        List<Child> next = new ArrayList<>(children);
        next.removeIf(existing -> existing.id() == child.id());
        next.add(child);
        return new NodeLayout(node, sketchName, sketchVersion, next, battery);
    }

    public NodeLayout withSketchName(String name) {
        return new NodeLayout(node, name, sketchVersion, children, battery);
    }

    public NodeLayout withSketchVersion(String version) {
        return new NodeLayout(node, sketchName, version, children, battery);
    }

    public NodeLayout withBattery() {
        return new NodeLayout(node, sketchName, sketchVersion, children, true);
    }

    public List<Channel> channels() {
        KeyAllocator keys = new KeyAllocator();
        List<Channel> channels = new ArrayList<>();
        for (Child child : children) {
            SensorKind.of(child.sensorType()).ifPresent(kind -> {
                for (Reading reading : kind.readings()) {
                    channels.add(new Channel(child.id(), reading, keys.next(reading.property()).toString()));
                }
            });
        }
        return channels;
    }

    public Optional<Channel> channel(int child, int valueType) {
        return channels().stream().filter(c -> c.child() == child && c.reading().valueType() == valueType).findFirst();
    }

    public Optional<Channel> channel(String key) {
        return channels().stream().filter(c -> c.key().equals(key)).findFirst();
    }

    public DeviceDescription description() {
        List<Capability> capabilities = new ArrayList<>();
        for (Channel channel : channels()) {
            capabilities.add(channel.reading().property().capability().withKey(channel.key()));
        }
        if (battery) {
            capabilities.add(StateProperty.BATTERY.capability());
        }
        String name = sketchName == null || sketchName.isBlank() ? "MySensors node " + node : sketchName + " (node " + node + ")";
        return new DeviceDescription(name, DeviceChannel.BINDING, capabilities);
    }
}
