package io.hearth.shadow;

import static io.hearth.shadow.ShadowClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every rule of the AWS IoT Device Shadow protocol, walked over MQTT with an independent client
 * against the embedded broker and the shadow service. Each test uses its own thing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowMqttConformanceTest {

    private static RunningShadows hub;
    private static ShadowClient device;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningShadows.start();
        device = new ShadowClient(hub.mqttPort, "conformance");
    }

    @AfterAll
    static void stop() {
        device.close();
        hub.close();
    }

    private static String prefix(String thing) {
        return "$aws/things/" + thing + "/shadow";
    }

    @Test
    void getOfAShadowThatNeverExistedIsRejectedWith404NamingIt() {
        ShadowClient.Reply reply = device.request(prefix("ghost") + "/get", "{\"clientToken\":\"g1\"}");
        assertThat(reply.accepted()).isFalse();
        assertThat(reply.code()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("No shadow exists with name: 'ghost'");
        assertThat(reply.body().path("clientToken").asText()).isEqualTo("g1");
        assertThat(reply.body().path("timestamp").isIntegralNumber()).isTrue();
    }

    @Test
    void theFirstUpdateCreatesVersionOneAndAcceptedEchoesOnlyTheRequestWithItsMetadata() {
        int from = device.mark();
        ShadowClient.Reply reply = device.request(prefix("lamp-a") + "/update",
                "{\"state\":{\"desired\":{\"on\":true,\"color\":{\"r\":255}}},\"clientToken\":\"c-1\",\"ignored\":1}");
        assertThat(reply.accepted()).isTrue();
        JsonNode body = reply.body();
        assertThat(body.path("version").asLong()).isEqualTo(1);
        assertThat(body.path("clientToken").asText()).isEqualTo("c-1");
        assertThat(body.path("state")).isEqualTo(json("{\"desired\":{\"on\":true,\"color\":{\"r\":255}}}"));
        long timestamp = body.path("timestamp").asLong();
        assertThat(timestamp).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(body.path("metadata").path("desired").path("on").path("timestamp").asLong()).isEqualTo(timestamp);
        assertThat(body.path("metadata").path("desired").path("color").path("r").path("timestamp").asLong()).isEqualTo(timestamp);
        assertThat(body.has("ignored")).isFalse();

        JsonNode documents = device.next(prefix("lamp-a") + "/update/documents", from).body();
        assertThat(documents.has("previous")).isFalse();
        assertThat(documents.path("current").path("version").asLong()).isEqualTo(1);
        assertThat(documents.path("clientToken").asText()).isEqualTo("c-1");
    }

    @Test
    void getReturnsTheWholeDocumentWithDeltaAndMetadataOnEveryLeaf() {
        device.request(prefix("lamp-b") + "/update", "{\"state\":{\"desired\":{\"on\":true,\"level\":50,\"mode\":{\"a\":1,\"b\":2}},"
                + "\"reported\":{\"on\":true,\"level\":20,\"mode\":{\"a\":1,\"b\":3},\"rssi\":-60}}}");
        ShadowClient.Reply reply = device.request(prefix("lamp-b") + "/get", "{\"clientToken\":\"get-1\"}");
        assertThat(reply.accepted()).isTrue();
        JsonNode state = reply.body().path("state");
        assertThat(state.path("delta")).isEqualTo(json("{\"level\":50,\"mode\":{\"b\":2}}"));
        assertThat(state.path("reported").path("rssi").asInt()).isEqualTo(-60);
        JsonNode metadata = reply.body().path("metadata");
        assertThat(metadata.path("reported").path("mode").path("b").has("timestamp")).isTrue();
        assertThat(metadata.path("desired").path("level").has("timestamp")).isTrue();
        assertThat(metadata.has("delta")).isFalse();
        assertThat(reply.body().path("version").asLong()).isEqualTo(1);
        assertThat(reply.body().path("clientToken").asText()).isEqualTo("get-1");
    }

    @Test
    void deltaIsFlatAndListsEveryDifferingDesiredFieldButNeverReportedOnlyOnes() {
        String thing = prefix("lamp-c");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"on\":false,\"level\":10,\"extra\":1}}}");
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"level\":80}}}");
        int from = device.mark();
        ShadowClient.Reply reply = device.request(thing + "/update", "{\"state\":{\"desired\":{\"on\":true}},\"clientToken\":\"d\"}");
        JsonNode delta = device.next(thing + "/update/delta", from).body();
        assertThat(delta.path("state")).isEqualTo(json("{\"level\":80,\"on\":true}"));
        assertThat(delta.path("metadata").path("on").has("timestamp")).isTrue();
        assertThat(delta.path("metadata").path("level").has("timestamp")).isTrue();
        assertThat(delta.path("version").asLong()).isEqualTo(reply.body().path("version").asLong());
        assertThat(delta.path("clientToken").asText()).isEqualTo("d");
        assertThat(delta.path("state").has("extra")).isFalse();
    }

    @Test
    void numbersCompareByValueSoOneEqualsOnePointZeroAndNoDeltaFollows() {
        String thing = prefix("dimmer");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"level\":1.0}}}");
        int from = device.mark();
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"level\":1}}}");
        assertThat(device.maybe(thing + "/update/delta", from, Duration.ofMillis(500))).isEmpty();
        assertThat(device.request(thing + "/get", "").body().path("state").has("delta")).isFalse();
    }

    @Test
    void aReportedOnlyUpdateDoesNotRepeatTheDeltaSoALocalChangeIsNotUndone() {
        String thing = prefix("wall-switch");
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"on\":true}}}");
        int from = device.mark();
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"on\":false}}}");
        assertThat(device.maybe(thing + "/update/delta", from, Duration.ofMillis(500))).isEmpty();
        assertThat(device.request(thing + "/get", "").body().path("state").path("delta")).isEqualTo(json("{\"on\":true}"));
    }

    @Test
    void documentsCarryPreviousAndCurrentWithVersions() {
        String thing = prefix("plug-d");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"power\":5}}}");
        int from = device.mark();
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"power\":7}},\"clientToken\":\"docs\"}");
        JsonNode documents = device.next(thing + "/update/documents", from).body();
        assertThat(documents.path("previous").path("state").path("reported").path("power").asInt()).isEqualTo(5);
        assertThat(documents.path("previous").path("version").asLong()).isEqualTo(1);
        assertThat(documents.path("current").path("state").path("reported").path("power").asInt()).isEqualTo(7);
        assertThat(documents.path("current").path("version").asLong()).isEqualTo(2);
        assertThat(documents.path("current").path("metadata").path("reported").path("power").has("timestamp")).isTrue();
        assertThat(documents.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(documents.path("clientToken").asText()).isEqualTo("docs");
    }

    @Test
    void anUpdateWithAStaleVersionIsRejectedWith409AndChangesNothing() {
        String thing = prefix("counter");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"n\":1}}}");
        assertThat(device.request(thing + "/update", "{\"state\":{\"reported\":{\"n\":2}},\"version\":1}").accepted()).isTrue();
        ShadowClient.Reply stale = device.request(thing + "/update", "{\"state\":{\"reported\":{\"n\":3}},\"version\":1,\"clientToken\":\"v\"}");
        assertThat(stale.code()).isEqualTo(409);
        assertThat(stale.message()).isEqualTo("Version conflict");
        assertThat(stale.body().path("clientToken").asText()).isEqualTo("v");
        JsonNode document = device.request(thing + "/get", "").body();
        assertThat(document.path("version").asLong()).isEqualTo(2);
        assertThat(document.path("state").path("reported").path("n").asInt()).isEqualTo(2);
    }

    @Test
    void nullDeletesAKeyASectionOrTheWholeStateAndTheVersionStillCounts() {
        String thing = prefix("nulls");
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"a\":1,\"b\":{\"c\":1}},\"reported\":{\"a\":2}}}");
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"a\":null,\"b\":{\"c\":null}}}}");
        JsonNode afterKeys = device.request(thing + "/get", "").body();
        assertThat(afterKeys.path("state").has("desired")).isFalse();
        assertThat(afterKeys.path("metadata").has("desired")).isFalse();
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"x\":1}}}");
        ShadowClient.Reply section = device.request(thing + "/update", "{\"state\":{\"desired\":null}}");
        assertThat(section.body().path("state")).isEqualTo(json("{\"desired\":null}"));
        JsonNode afterSection = device.request(thing + "/get", "").body();
        assertThat(afterSection.path("state")).isEqualTo(json("{\"reported\":{\"a\":2}}"));
        ShadowClient.Reply all = device.request(thing + "/update", "{\"state\":null}");
        assertThat(all.accepted()).isTrue();
        assertThat(all.body().path("version").asLong()).isEqualTo(5);
        JsonNode empty = device.request(thing + "/get", "").body();
        assertThat(empty.path("state")).isEqualTo(json("{}"));
        assertThat(empty.path("version").asLong()).isEqualTo(5);
    }

    @Test
    void arraysAreReplacedWholeAndAppearWholeInTheDelta() {
        String thing = prefix("colors");
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"list\":[1,2,3]},\"reported\":{\"list\":[1,2,3]}}}");
        int from = device.mark();
        device.request(thing + "/update", "{\"state\":{\"desired\":{\"list\":[1,2]}}}");
        assertThat(device.next(thing + "/update/delta", from).body().path("state")).isEqualTo(json("{\"list\":[1,2]}"));
        JsonNode document = device.request(thing + "/get", "").body();
        assertThat(document.path("state").path("desired").path("list")).isEqualTo(json("[1,2]"));
        assertThat(document.path("metadata").path("desired").path("list").isArray()).isTrue();
        assertThat(document.path("metadata").path("desired").path("list").size()).isEqualTo(2);
    }

    @Test
    void malformedRequestsAreRejectedWithTheAwsCodesAndMessages() {
        String thing = prefix("bad-input");
        assertRejected(thing, "{not json", 400, "Invalid JSON");
        assertRejected(thing, "[1,2]", 400, "Invalid JSON");
        assertRejected(thing, "{\"a\":1,\"a\":2}", 400, "Invalid JSON");
        assertRejected(thing, "{\"clientToken\":\"x\"}", 400, "Missing required node: state");
        assertRejected(thing, "{\"state\":5}", 400, "State node must be an object");
        assertRejected(thing, "{\"state\":{\"desired\":[1]}}", 400, "Desired node must be an object");
        assertRejected(thing, "{\"state\":{\"reported\":\"on\"}}", 400, "Reported node must be an object");
        assertRejected(thing, "{\"state\":{\"delta\":{\"on\":true}}}", 400, "State contains an invalid node");
        assertRejected(thing, "{\"state\":{\"desired\":{}},\"version\":\"7\"}", 400, "Invalid version");
        assertRejected(thing, "{\"state\":{\"desired\":{}},\"version\":-1}", 400, "Invalid version");
        assertRejected(thing, "{\"state\":{\"desired\":{}},\"clientToken\":\"" + "t".repeat(65) + "\"}", 400, "Invalid clientToken");
        assertRejected(thing, "{\"state\":{\"desired\":{\"list\":[1,null]}}}", 400, "Invalid JSON: arrays may not contain null");
        ShadowClient.Reply notUtf8 = device.request(thing + "/update", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(notUtf8.code()).isEqualTo(415);
        assertThat(notUtf8.message()).isEqualTo("Unsupported documented encoding; supported encoding is UTF-8");
        assertThat(device.request(thing + "/get", "").code()).isEqualTo(404);
    }

    @Test
    void aValidClientTokenIsEchoedEvenWhenTheRequestIsRefused() {
        ShadowClient.Reply reply = device.request(prefix("token-echo") + "/update", "{\"clientToken\":\"keep-me\"}");
        assertThat(reply.code()).isEqualTo(400);
        assertThat(reply.body().path("clientToken").asText()).isEqualTo("keep-me");
    }

    @Test
    void nestingDeeperThanSixLevelsIsRejected() {
        String thing = prefix("deep");
        String six = "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}";
        String seven = "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}";
        assertThat(device.request(thing + "/update", "{\"state\":{\"desired\":" + six + "}}").accepted()).isTrue();
        assertRejected(thing, "{\"state\":{\"reported\":" + seven + "}}", 400,
                "JSON contains too many levels of nesting; maximum is 6");
    }

    @Test
    void theEightKilobyteLimitIsMeasuredOnTheMergedDocument() {
        String thing = prefix("big");
        String half = "x".repeat(4_500);
        assertThat(device.request(thing + "/update", "{\"state\":{\"desired\":{\"a\":\"" + half + "\"}}}").accepted()).isTrue();
        ShadowClient.Reply second = device.request(thing + "/update", "{\"state\":{\"reported\":{\"b\":\"" + half + "\"}}}");
        assertThat(second.code()).isEqualTo(413);
        assertThat(second.message()).isEqualTo("The payload exceeds the maximum size allowed");
        assertThat(device.request(thing + "/get", "").body().path("version").asLong()).isEqualTo(1);
        assertThat(device.request(thing + "/update", "{\"state\":{\"reported\":{\"b\":\"small\"}}}").accepted()).isTrue();
    }

    @Test
    void namedShadowsLiveTheirOwnLifeAndDeleteThenRecreateKeepsCountingVersions() {
        String named = prefix("hall-sensor") + "/name/config";
        assertThat(device.request(named + "/get", "").message()).isEqualTo("No shadow exists with name: 'hall-sensor~config'");
        assertThat(device.request(named + "/update", "{\"state\":{\"desired\":{\"interval\":30}}}").body().path("version").asLong())
                .isEqualTo(1);
        device.request(named + "/update", "{\"state\":{\"desired\":{\"interval\":60}}}");
        assertThat(device.request(prefix("hall-sensor") + "/get", "").code()).isEqualTo(404);
        ShadowClient.Reply deleted = device.request(named + "/delete", "{\"clientToken\":\"del\"}");
        assertThat(deleted.accepted()).isTrue();
        assertThat(deleted.body().path("version").asLong()).isEqualTo(2);
        assertThat(deleted.body().path("clientToken").asText()).isEqualTo("del");
        assertThat(deleted.body().path("timestamp").isIntegralNumber()).isTrue();
        assertThat(device.request(named + "/get", "").code()).isEqualTo(404);
        assertThat(device.request(named + "/delete", "").code()).isEqualTo(404);
        ShadowClient.Reply recreated = device.request(named + "/update", "{\"state\":{\"reported\":{\"interval\":60}}}");
        assertThat(recreated.body().path("version").asLong()).isEqualTo(3);
        assertThat(device.request(named + "/get", "").body().path("state"))
                .isEqualTo(json("{\"reported\":{\"interval\":60}}"));
    }

    @Test
    void deleteWithAStaleVersionIsRejected() {
        String thing = prefix("keep-me");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"on\":true}}}");
        assertThat(device.request(thing + "/delete", "{\"version\":7}").code()).isEqualTo(409);
        assertThat(device.request(thing + "/get", "").accepted()).isTrue();
    }

    @Test
    void invalidThingAndShadowNamesAreRejectedWith400() {
        assertThat(device.request("$aws/things/bad.thing/shadow/get", "").code()).isEqualTo(400);
        ShadowClient.Reply badShadow = device.request("$aws/things/ok/shadow/name/" + "s".repeat(65) + "/update",
                "{\"state\":{\"desired\":{}}}");
        assertThat(badShadow.code()).isEqualTo(400);
        assertThat(badShadow.message()).startsWith("Invalid shadow name");
    }

    @Test
    void concurrentUpdatersWithOptimisticLockingLoseNoIncrement() throws Exception {
        String thing = prefix("shared-counter");
        device.request(thing + "/update", "{\"state\":{\"reported\":{\"n\":0}}}");
        int writers = 4;
        int increments = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String id = "writer-" + w;
            conflicts.add(pool.submit(() -> {
                int seen = 0;
                try (ShadowClient writer = new ShadowClient(hub.mqttPort, id, "$aws/things/shared-counter/shadow/#")) {
                    for (int done = 0, request = 0; done < increments; request++) {
                        String token = id + "-" + request;
                        JsonNode current = writer.request(thing + "/get",
                                ("{\"clientToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8), token).body();
                        long version = current.path("version").asLong();
                        int n = current.path("state").path("reported").path("n").asInt();
                        ShadowClient.Reply reply = writer.request(thing + "/update", ("{\"state\":{\"reported\":{\"n\":"
                                + (n + 1) + "}},\"version\":" + version + ",\"clientToken\":\"" + token + "\"}")
                                .getBytes(StandardCharsets.UTF_8), token);
                        if (reply.accepted()) {
                            done++;
                        } else {
                            assertThat(reply.code()).isEqualTo(409);
                            seen++;
                        }
                    }
                }
                return seen;
            }));
        }
        int conflicted = 0;
        for (Future<Integer> writer : conflicts) {
            conflicted += writer.get(50, TimeUnit.SECONDS);
        }
        pool.shutdown();
        JsonNode document = device.request(thing + "/get", "").body();
        assertThat(document.path("state").path("reported").path("n").asInt()).isEqualTo(writers * increments);
        assertThat(document.path("version").asLong()).isEqualTo(1 + writers * increments);
        assertThat(conflicted).as("the writers really raced").isPositive();
    }

    private static void assertRejected(String thing, String payload, int code, String message) {
        ShadowClient.Reply reply = device.request(thing + "/update", payload.getBytes(StandardCharsets.UTF_8));
        assertThat(reply.accepted()).as(payload).isFalse();
        assertThat(reply.code()).as(payload).isEqualTo(code);
        assertThat(reply.message()).as(payload).isEqualTo(message);
    }
}
