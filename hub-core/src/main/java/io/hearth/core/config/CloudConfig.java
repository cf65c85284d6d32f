package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hearth.core.bus.Topics;
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
 * @param topicRoot   the first topic level(s) of the shadows upstream, {@code $aws} as in AWS IoT; brokers
 *                    that refuse client messages under {@code $} (HiveMQ) need a plain root such as {@code aws}
 */
public record CloudConfig(boolean enabled, String url, String thingName, Mode mode, String username,
                          String password, String clientCert, String clientKey, String caFile, int outboxLimit,
                          String topicRoot) {

    public static final int DEFAULT_OUTBOX_LIMIT = 10_000;
    public static final String DEFAULT_TOPIC_ROOT = "$aws";

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
        requireTopicRoot(ConfigChecks.present(topicRoot, "topic-root"));
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

    /** A link with the default outbox limit and topic root. */
    public CloudConfig(boolean enabled, String url, String thingName, Mode mode, String username, String password,
                       String clientCert, String clientKey, String caFile) {
        this(enabled, url, thingName, mode, username, password, clientCert, clientKey, caFile, DEFAULT_OUTBOX_LIMIT,
                DEFAULT_TOPIC_ROOT);
    }

    public CloudConfig withOutboxLimit(int limit) {
        return new CloudConfig(enabled, url, thingName, mode, username, password, clientCert, clientKey, caFile, limit,
                topicRoot);
    }

    public CloudConfig withTopicRoot(String root) {
        return new CloudConfig(enabled, url, thingName, mode, username, password, clientCert, clientKey, caFile,
                outboxLimit, root);
    }

    public static CloudConfig defaults() {
        return new CloudConfig(false, "ssl://cloud.example:8883", "my-home-hub", Mode.BROKER, "", "", "", "", "");
    }

    /** The password must not reach logs or error reports. */
    @Override
    public String toString() {
        return "CloudConfig[enabled=" + enabled + ", url=" + url + ", thingName=" + thingName + ", mode=" + mode
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + ", clientCert="
                + clientCert + ", clientKey=" + clientKey + ", caFile=" + caFile + ", outboxLimit=" + outboxLimit + ", topicRoot=" + topicRoot + "]";
    }

    /** One or more topic levels to put the shadows under: no wildcards, no empty level. */
    private static void requireTopicRoot(String root) {
        String problem = Topics.nameProblem(root);
        if (problem == null && (root.contains("//") || root.startsWith("/") || root.endsWith("/"))) {
            problem = "a topic level must not be empty";
        }
        if (problem != null) {
            throw new InvalidConfigException("topic-root", "\"" + root + "\" cannot begin a topic: " + problem);
        }
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
