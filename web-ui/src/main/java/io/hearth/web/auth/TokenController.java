package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.web.Problem;
import io.micronaut.core.annotation.Nullable;
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
import java.util.Map;

/**
 * {@code /api/v1/tokens}: API tokens for apps and scripts ({@code Authorization: Bearer <token>}). The
 * token is shown once, when it is made; the hub keeps only its hash.
 */
@Controller("/api/v1/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
final class TokenController {

    private final IdentityStore identities;

    TokenController(IdentityStore identities) {
        this.identities = identities;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> issue(HttpRequest<?> request, @Nullable @Body JsonNode body) throws SQLException {
        String label = Fields.text(body, "label");
        if (label != null && label.length() > 100) {
            return Problem.of(HttpStatus.BAD_REQUEST, "label must be at most 100 characters.");
        }
        IdentityStore.Issued token = identities.issueToken(Caller.of(request).orElseThrow().name(), label);
        return HttpResponse.created(Map.of("id", token.id(), "token", token.secret()));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> list(HttpRequest<?> request) throws SQLException {
        return identities.tokens(Caller.of(request).orElseThrow().name()).stream()
                .map(token -> Map.<String, Object>of("id", token.id(), "label", token.label(),
                        "created", Instant.ofEpochMilli(token.createdAt()).toString()))
                .toList();
    }

    @Delete("/{id}")
    HttpResponse<?> revoke(HttpRequest<?> request, String id) throws SQLException {
        if (!identities.revokeToken(Caller.of(request).orElseThrow().name(), id)) {
            return Problem.of(HttpStatus.NOT_FOUND, "You have no token with id " + id + ".");
        }
        return HttpResponse.noContent();
    }
}
