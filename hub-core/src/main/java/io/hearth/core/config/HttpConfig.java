package io.hearth.core.config;

/** The web UI, REST API and event websocket listener. */
public record HttpConfig(int port) {

    public HttpConfig {
        ConfigChecks.range(port, "port", 1, 65535);
    }

    public static HttpConfig defaults() {
        return new HttpConfig(8080);
    }
}
