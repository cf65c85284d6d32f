package io.hearth.core.lifecycle;

/**
 * A part of the hub with a lifecycle: started in {@link #startOrder()} order once configuration is
 * loaded and the data dir is locked, stopped in reverse order on shutdown, and asked for its
 * {@link #health()} by {@code /api/v1/health}.
 */
public interface HubComponent {

    /** Start orders of the built-in parts: storage first, then the broker, then its clients. */
    int STORE = 0;
    int BROKER = 100;
    int SHADOWS = 200;
    int BINDINGS = 300;
    int CLOUD = 400;

    /** The component's name in health reports and logs, e.g. {@code store}, {@code zigbee}. */
    String name();

    int startOrder();

    /**
     * True when the hub cannot serve without this component; its failure stops the start.
     * A non-essential component that fails leaves the hub running, degraded.
     */
    default boolean essential() {
        return true;
    }

    void start() throws Exception;

    /** Stops promptly: finishes in-flight work, releases ports and files. Must not throw. */
    void stop();

    Health health();
}
