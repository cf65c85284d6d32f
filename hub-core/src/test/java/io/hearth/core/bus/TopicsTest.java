package io.hearth.core.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "a/b/c, a/b/c, true",
            "a/b/c, a/b/cd, false",
            "a/b/cd, a/b/c, false",
            "a/+/c, a/b/c, true",
            "a/+/c, a//c, true",
            "a/+, a, false",
            "a/+, a/b/c, false",
            "+/+, a/b, true",
            "+, a/b, false",
            "#, a/b/c, true",
            "a/#, a, true",
            "a/#, a/b/c, true",
            "a/#, ab, false",
            "sport/tennis/+, sport/tennis/player1, true",
            "+/tennis/#, sport/tennis/player1/ranking, true",
            "#, $SYS/broker/clients, false",
            "+/broker/clients, $SYS/broker/clients, false",
            "$SYS/#, $SYS/broker/clients, true",
            "$aws/things/+/shadow/#, $aws/things/lamp/shadow/update, true",
            "/+, /a, true",
            "/#, a, false"
    })
    void aFilterMatchesTopicsByLevel(String filter, String topic, boolean expected) {
        assertThat(Topics.filterProblem(filter)).isNull();
        assertThat(Topics.nameProblem(topic)).isNull();
        assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "a/b#", "a+/b", "a/+b", "##"})
    void misplacedWildcardsMakeAnInvalidFilter(String filter) {
        assertThat(Topics.filterProblem(filter)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "a/#", "#"})
    void wildcardsAreNotAllowedInTopicNames(String topic) {
        assertThat(Topics.nameProblem(topic)).contains("wildcards");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\u0000b"})
    void emptyTopicsAndNullCharactersAreRefused(String topic) {
        assertThat(Topics.nameProblem(topic)).isNotNull();
        assertThat(Topics.filterProblem(topic)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void unpairedSurrogatesAreNotValidUtf8() {
        assertThat(Topics.nameProblem("a/\uD800/b")).contains("UTF-8");
        assertThat(Topics.nameProblem("a/\uD83D\uDCA1/b")).isNull();
    }

    @org.junit.jupiter.api.Test
    void topicDepthIsBounded() {
        String deep = "a/".repeat(Topics.MAX_LEVELS) + "a";
        assertThat(Topics.nameProblem(deep)).contains("levels");
        assertThat(Topics.nameProblem("a/".repeat(Topics.MAX_LEVELS - 1) + "a")).isNull();
    }

    @org.junit.jupiter.api.Test
    void topicLengthIsCountedInUtf8Bytes() {
        assertThat(Topics.nameProblem("é".repeat(Topics.MAX_BYTES / 2))).isNull();
        assertThat(Topics.nameProblem("é".repeat(Topics.MAX_BYTES / 2 + 1))).contains("bytes");
    }
}
