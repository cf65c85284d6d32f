package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.auth.Role;
import io.hearth.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code /api/v1/onboarding}: while the home has no owner, anyone who reaches the hub may create the
 * first owner (and is logged in as them); afterwards this route refuses, and users are managed by owners.
 */
@Controller("/api/v1/onboarding")
@ExecuteOn(TaskExecutors.BLOCKING)
final class OnboardingController {

    private final IdentityStore identities;

    OnboardingController(IdentityStore identities) {
        this.identities = identities;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, Boolean> status() throws SQLException {
        return Map.of("needed", !identities.hasOwner());
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> createOwner(HttpRequest<?> request, @Body JsonNode body) throws SQLException {
        String username = Fields.text(body, "username");
        String password = Fields.text(body, "password");
        if (username == null || password == null) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Send {\"username\": \"...\", \"password\": \"...\"}.");
        }
        // One at a time, so two browsers racing cannot both become the first owner.
        synchronized (this) {
            if (identities.hasOwner()) {
                return Problem.of(HttpStatus.CONFLICT, "This home already has an owner; log in instead.");
            }
            try {
                identities.addUser(username, Role.OWNER, password.toCharArray());
            } catch (IdentityStore.IdentityException e) {
                return Problem.of(HttpStatus.BAD_REQUEST, capitalized(e.getMessage()) + ".");
            }
        }
        IdentityStore.User owner = new IdentityStore.User(username, Role.OWNER, System.currentTimeMillis());
        return SessionController.loggedIn(HttpResponse.status(HttpStatus.CREATED), identities, owner);
    }

    static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
