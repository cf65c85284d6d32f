package io.hearth.web.auth;

import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The identity tables' migrations. */
@Factory
final class AuthBeans {

    @Singleton
    Migrations authMigrations() {
        return new Migrations("auth");
    }
}
