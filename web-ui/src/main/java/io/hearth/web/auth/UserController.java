package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.auth.Role;
import io.hearth.web.Problem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/users} (owners only): the people of the home and their roles. A home always keeps one
 * owner: demoting or deleting the last one is refused with 409.
 */
@Controller("/api/v1/users")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserController {

    private final IdentityStore identities;

    UserController(IdentityStore identities) {
        this.identities = identities;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> list() throws SQLException {
        return identities.users().stream().map(user -> Map.<String, Object>of("username", user.name(),
                "role", user.role().name().toLowerCase(Locale.ROOT), "created", Instant.ofEpochMilli(user.createdAt()).toString()))
                .toList();
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> add(@Body JsonNode body) throws SQLException {
        String username = Fields.text(body, "username");
        String password = Fields.text(body, "password");
        String role = Fields.text(body, "role");
        if (username == null || password == null || !("owner".equals(role) || "member".equals(role))) {
            return Problem.of(HttpStatus.BAD_REQUEST,
                    "Send {\"username\": \"...\", \"role\": \"owner\" or \"member\", \"password\": \"...\"}.");
        }
        try {
            identities.addUser(username, Role.valueOf(role.toUpperCase(Locale.ROOT)), password.toCharArray());
        } catch (IdentityStore.IdentityException e) {
            boolean duplicate = e.getMessage().startsWith("there is already");
            return Problem.of(duplicate ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
                    OnboardingController.capitalized(e.getMessage()) + ".");
        }
        return HttpResponse.created(Map.of("username", username, "role", role));
    }

    @Patch(uri = "/{name}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> changeRole(String name, @Body JsonNode body) throws SQLException {
        String role = Fields.text(body, "role");
        if (body == null || body.size() != 1 || !("owner".equals(role) || "member".equals(role))) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Send {\"role\": \"owner\"} or {\"role\": \"member\"}; "
                    + "a person's name and password cannot be changed here.");
        }
        try {
            if (!identities.changeRole(name, Role.valueOf(role.toUpperCase(Locale.ROOT)))) {
                return noSuchUser(name);
            }
        } catch (IdentityStore.LastOwnerException e) {
            return Problem.of(HttpStatus.CONFLICT, OnboardingController.capitalized(e.getMessage()) + ".");
        } catch (IdentityStore.IdentityException e) {
            return Problem.of(HttpStatus.BAD_REQUEST, OnboardingController.capitalized(e.getMessage()) + ".");
        }
        return HttpResponse.ok(Map.of("username", name, "role", role));
    }

    @Delete("/{name}")
    HttpResponse<?> delete(String name) throws SQLException {
        try {
            if (!identities.deleteUser(name)) {
                return noSuchUser(name);
            }
        } catch (IdentityStore.LastOwnerException e) {
            return Problem.of(HttpStatus.CONFLICT, OnboardingController.capitalized(e.getMessage()) + ".");
        }
        return HttpResponse.noContent();
    }

    private static HttpResponse<?> noSuchUser(String name) {
        return Problem.of(HttpStatus.NOT_FOUND, "There is no user named " + name + ". GET /api/v1/users lists them.");
    }
}
