package io.hearth.cloud;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.hearth.core.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ Community Edition, started inside the test's JVM, as the cloud broker: a second
 * third-party broker next to Mosquitto, with the rule that matters most to the link, that clients
 * may not publish to topics starting with {@code $}. Messages are kept in memory only and the
 * broker never reports usage anywhere.
 */
final class HiveMqCloud implements AutoCloseable {

    final int port;
    private final EmbeddedHiveMQ broker;

    HiveMqCloud(Path dir) throws Exception {
        port = FreePorts.next();
        Path config = Files.createDirectories(dir.resolve("hivemq-conf"));
        Files.writeString(config.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        broker = EmbeddedHiveMQ.builder().withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(dir.resolve("hivemq-data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("hivemq-extensions")))
                .withoutLoggingBootstrap()
                .build();
        broker.start().get(60, TimeUnit.SECONDS);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
        } finally {
            broker.close();
        }
    }
}
