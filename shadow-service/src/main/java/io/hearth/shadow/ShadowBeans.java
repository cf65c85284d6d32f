package io.hearth.shadow;

import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The shadow service's tables. */
@Factory
final class ShadowBeans {

    @Singleton
    Migrations shadowMigrations() {
        return new Migrations("shadow");
    }
}
