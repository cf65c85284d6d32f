package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hearth.core.device.DeviceId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The outbound link to a cloud gateway. Checked strictly only when enabled, so a disabled link can
 * keep half-filled values while the owner prepares it.
 *
 * @param outboxLimit how many devices' pending changes the link keeps while the cloud is unreachable
 *                    (one entry per device, the latest state only); changes beyond are counted and dropped
 */
public record CloudConfig(boolean enabled, String url, String thingName, Mode mode, String username,
                          String password, String clientCert, String clientKey, String caFile, int outboxLimit) {

    public static final int DEFAULT_OUTBOX_LIMIT = 10_000;

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    public enum Mode {
        @JsonProperty("broker") BROKER,
        @JsonProperty("aws-shadow") AWS_SHADOW
    }

    public CloudConfig {
        ConfigChecks.present(mode, "mode");
        url = url == null ? "" : url;
        thingName = thingName == null ? "" : thingName;
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        clientCert = clientCert == null ? "" : clientCert;
        clientKey = clientKey == null ? "" : clientKey;
        caFile = caFile == null ? "" : caFile;
        ConfigChecks.range(outboxLimit, "outbox-limit", 1, 1_000_000);
        if (enabled) {
            requireUpstreamUrl(url);
            String problem = DeviceId.problem(ConfigChecks.present(thingName, "thing-name"));
            if (problem != null) {
                throw new InvalidConfigException("thing-name", problem);
            }
            if (clientCert.isEmpty() != clientKey.isEmpty()) {
                throw new InvalidConfigException(clientCert.isEmpty() ? "client-cert" : "client-key",
                        "client-cert and client-key go together; set both or neither");
            }
        }
    }

    /** A link with the default outbox limit. */
    public CloudConfig(boolean enabled, String url, String thingName, Mode mode, String username, String password,
                       String clientCert, String clientKey, String caFile) {
        this(enabled, url, thingName, mode, username, password, clientCert, clientKey, caFile, DEFAULT_OUTBOX_LIMIT);
    }

    public static CloudConfig defaults() {
        return new CloudConfig(false, "ssl://cloud.example:8883", "my-home-hub", Mode.BROKER, "", "", "", "", "");
    }

    /** The password must not reach logs or error reports. */
    @Override
    public String toString() {
        return "CloudConfig[enabled=" + enabled + ", url=" + url + ", thingName=" + thingName + ", mode=" + mode
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + ", clientCert="
                + clientCert + ", clientKey=" + clientKey + ", caFile=" + caFile + ", outboxLimit=" + outboxLimit + "]";
    }

    private static void requireUpstreamUrl(String url) {
        ConfigChecks.present(url, "url");
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidConfigException("url", "\"" + url
                        + "\" must look like tcp://host:1883, ssl://host:8883, ws://host/mqtt or wss://host/mqtt");
            }
        } catch (URISyntaxException e) {
            throw new InvalidConfigException("url", "\"" + url + "\" is not a URL: " + e.getReason());
        }
    }
}
