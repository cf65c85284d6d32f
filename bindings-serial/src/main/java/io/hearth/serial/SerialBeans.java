package io.hearth.serial;

import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Contributes the serial binding's tables (prefix {@code serial_}) to the store. */
@Factory
final class SerialBeans {

    static final Migrations MIGRATIONS = new Migrations("serial");

    @Singleton
    Migrations serialMigrations() {
        return MIGRATIONS;
    }
}
