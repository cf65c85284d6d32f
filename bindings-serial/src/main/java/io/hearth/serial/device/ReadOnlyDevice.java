package io.hearth.serial.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.BindingException;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.serial.Counters;
import io.hearth.serial.GatewayProtocol;
import io.hearth.serial.link.SerialLink;

/**
 * A gateway that is one device the hub only listens to (a meter, a hobby sensor): nothing is ever
 * written to it, commands are refused and counted, it is online from its first valid reading until
 * the port goes away, and it belongs to the configuration, so it is removed there, not from the hub.
 * Subclasses turn bytes into readings and call {@link #describe} and {@link #report}.
 */
public abstract class ReadOnlyDevice implements GatewayProtocol {

    protected final DeviceId device;
    protected final DeviceChannel devices;
    protected final Counters counters = new Counters();
    private final String what;
    private boolean online;

    /** @param what the kind of device, for the homeowner ("meter", "sensor") */
    protected ReadOnlyDevice(DeviceId device, DeviceChannel devices, String what) {
        this.device = device;
        this.devices = devices;
        this.what = what;
    }

    /** Forgets any partial input; the port is gone. */
    protected abstract void resetReader();

    protected void describe(DeviceDescription description) {
        devices.describe(device, description);
    }

    /** A valid reading arrived: the device is online, and these are its values. */
    protected void report(ObjectNode state) {
        if (!online) {
            online = true;
            devices.availability(device, true);
        }
        devices.report(device, state);
    }

    @Override
    public void attach(SerialLink link) {
        // Read-only: nothing is ever written to the device.
    }

    @Override
    public void connected() {
        // Online once a valid reading arrives: an open port alone says nothing about the device.
    }

    @Override
    public void disconnected(String reason) {
        resetReader();
        if (online) {
            online = false;
            devices.availability(device, false);
        }
    }

    @Override
    public boolean owns(DeviceId candidate) {
        return device.equals(candidate);
    }

    @Override
    public void handle(Delta delta) {
        counters.count("refusedCommands");
    }

    @Override
    public void remove(DeviceId candidate) throws BindingException {
        throw new BindingException(device + " is the " + what + " on a gateway in the configuration; remove the "
                + "gateway from hearth.serial.gateways instead");
    }

    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
