package io.hearth.zigbee;

import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Contributes the binding's tables (prefix {@code zigbee_}) to the store. */
@Factory
final class ZigbeeBeans {

    @Singleton
    Migrations zigbeeMigrations() {
        return ZigbeeBinding.MIGRATIONS;
    }
}
