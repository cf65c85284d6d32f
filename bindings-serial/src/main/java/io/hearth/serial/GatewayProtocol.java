package io.hearth.serial;

import io.hearth.core.binding.BindingException;
import io.hearth.core.device.DeviceId;
import io.hearth.serial.device.Delta;
import io.hearth.serial.link.LinkListener;
import io.hearth.serial.link.SerialLink;
import java.util.Map;

/** One gateway's protocol on top of its {@link SerialLink}: MySensors, DSMR P1 or generic lines. */
public interface GatewayProtocol extends LinkListener {

    /** Called once before the link starts; the protocol writes through it. */
    void attach(SerialLink link);

    /** True when {@code device} is proxied by this gateway. */
    boolean owns(DeviceId device);

    /** Desired state that differs from reported, for one of this gateway's devices. */
    void handle(Delta delta);

    void remove(DeviceId device) throws BindingException;

    /** Counters and figures for the gateway's health. */
    Map<String, Object> details();

    /** Ends the protocol's own threads; the link is stopped already. */
    void close();
}
