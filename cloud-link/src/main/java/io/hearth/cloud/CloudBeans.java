package io.hearth.cloud;

import io.hearth.core.store.Journal;
import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The cloud link's tables and the journal that writes them. */
@Factory
final class CloudBeans {

    @Singleton
    @Named("cloud")
    Journal cloudJournal() {
        return new Journal("cloud");
    }

    @Singleton
    Migrations cloudMigrations() {
        return new Migrations("cloud");
    }
}
