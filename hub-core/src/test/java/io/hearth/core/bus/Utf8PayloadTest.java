package io.hearth.core.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8PayloadTest {

    @Test
    void textInEveryEncodedLengthIsWellFormed() {
        assertThat(Utf8Payload.wellFormed("a ä € 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8Payload.wellFormed(new byte[0])).isTrue();
    }

    @Test
    void overlongSurrogateTruncatedAndOutOfRangeSequencesAreNot() {
        assertThat(Utf8Payload.wellFormed(bytes(0xC0, 0xAF))).as("overlong /").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0xE0, 0x80, 0xAF))).as("overlong in three bytes").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0xED, 0xA0, 0x80))).as("a surrogate").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0xE2, 0x82))).as("cut short").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0x80))).as("a lone continuation byte").isFalse();
        assertThat(Utf8Payload.wellFormed(bytes(0xFF))).as("never in UTF-8").isFalse();
    }

    @Test
    void itAgreesWithTheJdksStrictDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            byte[] candidate = new byte[random.nextInt(1, 8)];
            for (int k = 0; k < candidate.length; k++) {
                // Mostly bytes that start or continue multi-byte sequences, where the mistakes are.
                candidate[k] = (byte) (random.nextBoolean() ? random.nextInt(0x80, 0x100) : random.nextInt(0x100));
            }
            assertThat(Utf8Payload.wellFormed(candidate)).as("%s", java.util.HexFormat.of().formatHex(candidate))
                    .isEqualTo(jdkAccepts(candidate));
        }
    }

    private static boolean jdkAccepts(byte[] candidate) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(candidate));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
