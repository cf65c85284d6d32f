package io.hearth.core.store;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Contributes hub-core's own tables (prefix {@code core_}) to the store. */
@Factory
final class CoreMigrations {

    @Singleton
    Migrations coreMigrations() {
        return new Migrations("core");
    }
}
