package io.hearth.serial.mysensors;

/** The internal message types (command 3) the gateway acts on, by their numbers in the serial API. */
final class Internal {

    static final int BATTERY_LEVEL = 0;
    static final int TIME = 1;
    static final int ID_REQUEST = 3;
    static final int ID_RESPONSE = 4;
    static final int CONFIG = 6;
    static final int LOG_MESSAGE = 9;
    static final int SKETCH_NAME = 11;
    static final int SKETCH_VERSION = 12;
    static final int GATEWAY_READY = 14;
    static final int HEARTBEAT_RESPONSE = 22;

    private Internal() {
    }
}
