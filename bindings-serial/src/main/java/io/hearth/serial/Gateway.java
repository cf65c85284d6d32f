package io.hearth.serial;

import io.hearth.core.config.SerialGateway;
import io.hearth.serial.link.LinkState;
import io.hearth.serial.link.SerialLink;
import java.util.LinkedHashMap;
import java.util.Map;

/** A configured gateway at run time: its port and the protocol spoken over it. */
record Gateway(SerialGateway config, SerialLink link, GatewayProtocol protocol) {

    void start() {
        protocol.attach(link);
        link.start();
    }

    void stop() {
        link.stop();
        protocol.close();
    }

    boolean connected() {
        return link.state() == LinkState.CONNECTED;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>(link.details());
        details.putAll(protocol.details());
        return details;
    }
}
