package io.hearth.core.store;

import java.util.regex.Pattern;

/**
 * A module's versioned schema changes. Each module keeps its own sequence: scripts in
 * {@code db/migration/<module>/V<n>__<what>.sql} on the class path, applied in order and recorded in
 * the table {@code <module>_schema_history}, so modules evolve their tables independently.
 */
public record Migrations(String module) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,15}");

    public Migrations {
        if (module == null || !NAME.matcher(module).matches()) {
            throw new IllegalArgumentException("module name must be a short lowercase word, not " + module);
        }
    }

    public String location() {
        return "classpath:db/migration/" + module;
    }

    /** Upper case, as H2 stores unquoted names, so plain SQL can query it. */
    public String historyTable() {
        return module.toUpperCase(java.util.Locale.ROOT) + "_SCHEMA_HISTORY";
    }
}
