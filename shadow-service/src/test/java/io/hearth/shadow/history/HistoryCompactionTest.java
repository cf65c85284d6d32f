package io.hearth.shadow.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.core.store.Store;
import io.hearth.shadow.RunningShadows;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Old history is rolled up to quarter hours and deleted past retention, so the table stays bounded. */
class HistoryCompactionTest {

    private static final DeviceId SENSOR = DeviceId.of("hallway-climate");
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private RunningShadows hub;

    @BeforeEach
    void start() throws Exception {
        hub = RunningShadows.start();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private void insert(List<HistoryPoint> points) throws Exception {
        try (Connection connection = hub.bean(Store.class).dataSource().getConnection()) {
            HistoryPoint.insert(connection, points);
        }
    }

    @Test
    void pointsOlderThanADayBecomeOnePerQuarterHourAndRecentOnesStayRaw() throws Exception {
        long now = 1_800_000_000_000L;
        long twoDaysAgo = now - Duration.ofDays(2).toMillis();
        long bucket = twoDaysAgo - twoDaysAgo % (15 * MINUTE);
        List<HistoryPoint> points = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            points.add(new HistoryPoint(SENSOR.value(), "temperature", bucket + minute * MINUTE, minute < 15 ? 20 : 22, false));
            points.add(new HistoryPoint(SENSOR.value(), "occupancy", bucket + minute * MINUTE, minute == 3 ? 1 : 0, true));
        }
        for (int minute = 0; minute < 10; minute++) {
            points.add(new HistoryPoint(SENSOR.value(), "temperature", now - minute * MINUTE, 21, false));
        }
        insert(points);

        History history = hub.bean(History.class);
        assertThat(history.compact(now)).isEqualTo(60 - 4);

        List<HistoryPoint> temperature = history.points(SENSOR, "temperature", 0);
        assertThat(temperature).hasSize(2 + 10);
        assertThat(temperature.get(0).at()).isEqualTo(bucket);
        assertThat(temperature.get(0).value()).isEqualTo(20.0);
        assertThat(temperature.get(1).at()).isEqualTo(bucket + 15 * MINUTE);
        assertThat(temperature.get(1).value()).isEqualTo(22.0);
        List<HistoryPoint> occupancy = history.points(SENSOR, "occupancy", 0);
        assertThat(occupancy).extracting(HistoryPoint::value).containsExactly(1.0, 0.0);
        assertThat(occupancy).extracting(HistoryPoint::bool).containsOnly(true);

        assertThat(history.compact(now)).as("compacting again changes nothing").isZero();
    }

    @Test
    void pointsPastTheRetentionAreDeleted() throws Exception {
        long now = 1_800_000_000_000L;
        insert(List.of(new HistoryPoint(SENSOR.value(), "humidity", now - Duration.ofDays(31).toMillis(), 50, false),
                new HistoryPoint(SENSOR.value(), "humidity", now - Duration.ofDays(29).toMillis(), 55, false)));
        History history = hub.bean(History.class);
        history.compact(now);
        assertThat(history.points(SENSOR, "humidity", 0)).extracting(HistoryPoint::value).containsExactly(55.0);
    }
}
