package io.hearth.shadow;

import io.hearth.core.store.Journal;
import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The shadow service's tables and the journal that writes them. */
@Factory
final class ShadowBeans {

    @Singleton
    @Named("shadow")
    Journal shadowJournal() {
        return new Journal("shadow");
    }

    @Singleton
    Migrations shadowMigrations() {
        return new Migrations("shadow");
    }
}
