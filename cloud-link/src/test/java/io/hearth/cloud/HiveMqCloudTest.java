package io.hearth.cloud;

import static io.hearth.cloud.CloudLinkTest.THING;
import static io.hearth.cloud.CloudLinkTest.awaitConnected;
import static io.hearth.cloud.CloudLinkTest.awaitTrue;
import static io.hearth.cloud.CloudLinkTest.lamp;
import static io.hearth.cloud.CloudLinkTest.link;
import static io.hearth.cloud.CloudLinkTest.local;
import static io.hearth.cloud.CloudLinkTest.report;
import static io.hearth.cloud.CloudLinkTest.sensor;
import static io.hearth.cloud.CloudLinkTest.withCloud;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.config.CloudConfig;
import io.hearth.shadow.RunningShadows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link in {@code mode: broker} with HiveMQ CE as the cloud. HiveMQ refuses client messages
 * under {@code $}, so the hub's shadows live under the plain root {@code aws} there.
 */
class HiveMqCloudTest {

    static final String SHADOWS = "aws/things/" + THING + "/shadow";

    @TempDir
    Path dir;
    private HiveMqCloud cloud;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startCloud() throws Exception {
        cloud = new HiveMqCloud(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        cloud.close();
    }

    @Test
    void aRemoteAppChangesTheLampAndSeesReportedState() throws Exception {
        RunningShadows hub = hub(link(cloud.url()).withTopicRoot("aws"));
        lamp(hub, "lamp-1");
        sensor(hub, "climate-1");
        RemoteApp app = app(cloud.port);
        awaitConnected(hub);

        app.publish(SHADOWS + "/name/lamp-1/update", "{\"state\":{\"desired\":{\"on\":true}},\"clientToken\":\"tap\"}");
        JsonNode accepted = app.await(SHADOWS + "/name/lamp-1/update/accepted", 10).body();
        assertThat(accepted.path("clientToken").asText()).isEqualTo("tap");
        assertThat(local(hub, "lamp-1").desired().path("on").asBoolean()).isTrue();
        assertThat(app.await(SHADOWS + "/name/lamp-1/update/delta", 10).body().path("state").path("on").asBoolean())
                .isTrue();

        report(hub, "climate-1", "{\"temperature\":22.5}");
        app.await(SHADOWS + "/name/climate-1/update/documents",
                body -> body.path("current").path("state").path("reported").path("temperature").asDouble() == 22.5, 10);

        app.publish(SHADOWS + "/name/lamp-1/delete", "{}");
        assertThat(app.await(SHADOWS + "/name/lamp-1/delete/rejected", 10).body().path("code").asInt()).isEqualTo(403);
    }

    @Test
    void changesMadeWhileTheLinkIsCutArriveWhenItIsBack() throws Exception {
        CloudGateway gateway = new CloudGateway(cloud.port, false);
        toClose.add(gateway);
        RunningShadows hub = hub(link("tcp://127.0.0.1:" + gateway.port).withTopicRoot("aws"));
        sensor(hub, "climate-1");
        RemoteApp app = app(cloud.port);
        awaitConnected(hub);
        awaitTrue(() -> CloudLinkTest.link(hub).status().queued() == 0, "first sync delivered");

        gateway.cut();
        awaitTrue(() -> !CloudLinkTest.link(hub).status().connected(), "link down noticed");
        report(hub, "climate-1", "{\"temperature\":18.0}");
        report(hub, "climate-1", "{\"temperature\":18.5}");
        assertThat(CloudLinkTest.link(hub).status().queued()).isEqualTo(1);

        gateway.restore();
        JsonNode change = app.await(SHADOWS + "/name/climate-1/update/documents",
                body -> body.path("current").path("state").path("reported").path("temperature").asDouble() == 18.5, 20)
                .body();
        assertThat(change.path("previous").path("state").path("reported").path("temperature").asDouble()).isEqualTo(20.0);
    }

    @Test
    void underTheAwsDollarRootHiveMqEndsTheLinkAndTheHubSaysWhatToChange() throws Exception {
        RunningShadows hub = hub(link(cloud.url()));
        sensor(hub, "climate-1");

        awaitTrue(() -> String.valueOf(CloudLinkTest.link(hub).status().lastError()).contains("topic-root"),
                "the refusal explained");
        assertThat(CloudLinkTest.link(hub).status().lastError())
                .contains("starts with '$'").contains("set hearth.cloud.topic-root to a plain root such as aws");
    }

    private RunningShadows hub(CloudConfig link) throws Exception {
        RunningShadows hub = RunningShadows.start(config -> withCloud(config, link));
        toClose.add(hub);
        return hub;
    }

    private RemoteApp app(int port) throws Exception {
        RemoteApp app = new RemoteApp(port, SHADOWS + "/#");
        toClose.add(app);
        return app;
    }
}
