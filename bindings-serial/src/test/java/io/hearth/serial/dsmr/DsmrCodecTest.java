package io.hearth.serial.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.serial.Counters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsmrCodecTest {

    private final Counters counters = new Counters();
    private final List<String> telegrams = new ArrayList<>();
    private final DsmrFramer framer = new DsmrFramer(counters, telegrams::add);

    private void feed(String text) {
        framer.accept(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void theChecksumIsCrc16Arc() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16.of(check, 0, check.length)).isEqualTo(0xBB3D);
        byte[] body = Telegrams.THREE_PHASE_BODY.getBytes(StandardCharsets.US_ASCII);
        assertThat(String.format("%04X", Crc16.of(body, 0, body.length))).isEqualTo(Telegrams.THREE_PHASE_CRC);
    }

    @Test
    void aTelegramSplitAcrossReadsWithNoiseBeforeItIsFramedWhole() {
        String stream = "\u0000#noise\r\n" + Telegrams.THREE_PHASE;
        for (int i = 0; i < stream.length(); i += 7) {
            feed(stream.substring(i, Math.min(stream.length(), i + 7)));
        }
        assertThat(telegrams).containsExactly(Telegrams.THREE_PHASE_BODY);
        assertThat(counters.get("garbageBytes")).isEqualTo(7);
    }

    @Test
    void aTelegramWithAWrongChecksumIsDroppedAndCounted() {
        feed(Telegrams.CORRUPT + Telegrams.THREE_PHASE);
        assertThat(telegrams).hasSize(1);
        assertThat(counters.get("corruptTelegrams")).isEqualTo(1);
        assertThat(counters.get("telegrams")).isEqualTo(1);
    }

    @Test
    void aTelegramCutShortByTheNextOneOrGrowingWithoutEndIsDroppedAndCounted() {
        feed(Telegrams.THREE_PHASE.substring(0, 120) + Telegrams.THREE_PHASE);
        assertThat(counters.get("truncatedTelegrams")).isEqualTo(1);
        feed("/" + "1-0:1.8.1(000001.000*kWh)\r\n".repeat(400));
        assertThat(counters.get("oversizeTelegrams")).isEqualTo(1);
        feed(Telegrams.THREE_PHASE);
        assertThat(telegrams).hasSize(2);
    }

    @Test
    void anOlderMeterWithoutChecksumIsPassedOnAsUnchecked() {
        feed("/KMP5 ZABF001587315111\r\n\r\n1-0:1.8.1(00185.000*kWh)\r\n!\r\n");
        assertThat(telegrams).hasSize(1);
        assertThat(counters.get("uncheckedTelegrams")).isEqualTo(1);
    }

    @Test
    void obisObjectsMapToTheStateVocabulary() {
        MeterReading reading = MeterReading.of(DsmrTelegram.parse(Telegrams.THREE_PHASE_BODY));
        assertThat(reading.state()).containsExactly(
                java.util.Map.entry("energy", 4512.331), java.util.Map.entry("energy_2", 3987.052),
                java.util.Map.entry("energy_3", 210.4), java.util.Map.entry("energy_4", 533.917),
                java.util.Map.entry("power", 1193.0),
                java.util.Map.entry("voltage", 229.8), java.util.Map.entry("voltage_2", 231.4),
                java.util.Map.entry("voltage_3", 230.1),
                java.util.Map.entry("current", 3.0), java.util.Map.entry("current_2", 1.0),
                java.util.Map.entry("current_3", 1.0), java.util.Map.entry("gas", 2871.644));
        assertThat(DsmrTelegram.parse(Telegrams.THREE_PHASE_BODY).identification()).isEqualTo("HRT5\\2ME-GARAGE-01");
    }

    @Test
    void exportingShowsAsNegativePowerAndUnreadableValuesAreLeftOut() {
        DsmrTelegram telegram = DsmrTelegram.parse("/X\r\n\r\n1-0:1.7.0(00.000*kW)\r\n1-0:2.7.0(02.350*kW)\r\n"
                + "1-0:1.8.1(12x.000*kWh)\r\n1-0:32.7.0(230.0*kV)\r\ngarbage(\r\n!");
        assertThat(MeterReading.of(telegram).state()).containsExactly(java.util.Map.entry("power", -2350.0));
    }
}
