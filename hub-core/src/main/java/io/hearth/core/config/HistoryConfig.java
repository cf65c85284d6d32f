package io.hearth.core.config;

/**
 * How long reported values are kept for charts. Values older than a day are rolled up to one per
 * quarter hour; values older than {@code retentionDays} are deleted, so the database stays bounded.
 */
public record HistoryConfig(int retentionDays) {

    public HistoryConfig {
        ConfigChecks.range(retentionDays, "retention-days", 1, 3650);
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(30);
    }
}
