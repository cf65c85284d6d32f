package io.hearth.serial.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.config.LineMapping;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void namedGroupsOfARegexBecomeTheirMappedKeys() throws Exception {
        LineDecoder decoder = new LineDecoder(new LineMapping(null,
                "T1=(?<t>-?[0-9.]+) T2=(?<temperature>-?[0-9.]+) H=(?<humidity>[0-9.]+)( LEAK=(?<leak>[01]))?",
                Map.of("t", "temperature_2", "leak", "water"), null, null), json);
        assertThat(decoder.decode("T1=-3.5 T2=19.25 H=71").toString())
                .isEqualTo("{\"temperature_2\":-3.5,\"temperature\":19.25,\"humidity\":71.0}");
        assertThat(decoder.decode("T1=1 T2=2 H=3 LEAK=1").path("water").booleanValue()).isTrue();
    }

    @Test
    void jsonLinesMapFieldsThatAreVocabularyKeysOrMapped() throws Exception {
        LineDecoder decoder = new LineDecoder(new LineMapping(LineMapping.Format.JSON, null,
                Map.of("lux", "illuminance"), null, null), json);
        assertThat(decoder.decode("{\"lux\": 310, \"battery\": \"87\", \"uptime\": 12}").toString())
                .isEqualTo("{\"illuminance\":310,\"battery\":87.0}");
    }

    @Test
    void linesThatDoNotFitAreRefusedWithTheCounterTheyGoUnder() {
        LineDecoder regex = new LineDecoder(new LineMapping(null, "T=(?<temperature>\\S+)", Map.of(), null, null), json);
        assertThatThrownBy(() -> regex.decode("hello")).isInstanceOfSatisfying(LineDecoder.Refused.class,
                e -> assertThat(e.counter()).isEqualTo("unmatchedLines"));
        assertThatThrownBy(() -> regex.decode("T=warm")).isInstanceOfSatisfying(LineDecoder.Refused.class,
                e -> assertThat(e.counter()).isEqualTo("badValues"));
        assertThatThrownBy(() -> regex.decode("T=NaN")).isInstanceOf(LineDecoder.Refused.class);
        assertThatThrownBy(() -> regex.decode("T=-500")).isInstanceOfSatisfying(LineDecoder.Refused.class,
                e -> assertThat(e.getMessage()).contains("temperature must be between"));
        LineDecoder jsonLines = new LineDecoder(new LineMapping(LineMapping.Format.JSON, null, Map.of(), null, null), json);
        assertThatThrownBy(() -> jsonLines.decode("{\"humidity\": 5")).isInstanceOf(LineDecoder.Refused.class);
        assertThatThrownBy(() -> jsonLines.decode("[1,2]")).isInstanceOf(LineDecoder.Refused.class);
        assertThatThrownBy(() -> jsonLines.decode("{\"uptime\": 5}")).isInstanceOfSatisfying(LineDecoder.Refused.class,
                e -> assertThat(e.counter()).isEqualTo("unmatchedLines"));
        assertThatThrownBy(() -> jsonLines.decode("{\"contact\": 3}")).isInstanceOfSatisfying(LineDecoder.Refused.class,
                e -> assertThat(e.counter()).isEqualTo("badValues"));
    }
}
