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
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /api/v1/users} (owners only): the people of the home and their roles. */
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

    @Delete("/{name}")
    HttpResponse<?> delete(HttpRequest<?> request, String name) throws SQLException {
        List<IdentityStore.User> owners = identities.users().stream().filter(user -> user.role() == Role.OWNER).toList();
        if (owners.size() == 1 && owners.get(0).name().equals(name)) {
            return Problem.of(HttpStatus.CONFLICT, "The last owner cannot be deleted; add another owner first.");
        }
        if (!identities.deleteUser(name)) {
            return Problem.of(HttpStatus.NOT_FOUND, "There is no user named " + name + ".");
        }
        return HttpResponse.noContent();
    }
}
