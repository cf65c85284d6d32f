package io.hearth.cloud;

import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The cloud link's tables. */
@Factory
final class CloudBeans {

    @Singleton
    Migrations cloudMigrations() {
        return new Migrations("cloud");
    }
}
