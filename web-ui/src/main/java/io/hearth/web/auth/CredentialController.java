package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.web.Problem;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/credentials} (owners only): MQTT logins of devices and apps, the same as
 * {@code hearth credential add|revoke}. A login has a password, or is certificate-only: then just a
 * TLS client certificate with its name as CN opens it. Revoking ends the device's connections at once.
 */
@Controller("/api/v1/credentials")
@ExecuteOn(TaskExecutors.BLOCKING)
final class CredentialController {

    private final IdentityStore identities;

    CredentialController(IdentityStore identities) {
        this.identities = identities;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> list() throws SQLException {
        return identities.credentials().stream().map(credential -> Map.<String, Object>of("thing", credential.thing(),
                "allow", credential.grants(), "created", Instant.ofEpochMilli(credential.createdAt()).toString(),
                "login", login(credential.certificateOnly()))).toList();
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> add(@Body JsonNode body) throws SQLException {
        String thing = Fields.text(body, "thing");
        String password = Fields.text(body, "password");
        JsonNode allow = body == null ? null : body.get("allow");
        List<String> grants = new ArrayList<>();
        if (allow != null) {
            if (!allow.isArray()) {
                return Problem.of(HttpStatus.BAD_REQUEST, "allow must be a list of topic filters.");
            }
            allow.forEach(grant -> grants.add(grant.asText()));
        }
        JsonNode certificateOnly = body == null ? null : body.get("certificateOnly");
        if (certificateOnly != null && !certificateOnly.isBoolean()) {
            return Problem.of(HttpStatus.BAD_REQUEST, "certificateOnly must be true or false.");
        }
        boolean withoutPassword = certificateOnly != null && certificateOnly.booleanValue();
        if (thing == null || (password == null) != withoutPassword) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Send {\"thing\": \"...\", \"password\": \"...\", "
                    + "\"allow\": [\"topic/filter/#\"]}, or \"certificateOnly\": true instead of a password for a "
                    + "device that logs in with a TLS client certificate.");
        }
        try {
            if (withoutPassword) {
                identities.addCertificateCredential(thing, grants);
            } else {
                identities.addCredential(thing, password.toCharArray(), grants);
            }
        } catch (IdentityStore.IdentityException e) {
            boolean duplicate = e.getMessage().startsWith("there is already");
            return Problem.of(duplicate ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
                    OnboardingController.capitalized(e.getMessage()) + ".");
        }
        return HttpResponse.created(Map.of("thing", thing, "allow", grants, "login", login(withoutPassword)));
    }

    /** How the credential logs in: with its password, or only with a client certificate. */
    private static String login(boolean certificateOnly) {
        return certificateOnly ? "certificate" : "password";
    }

    @Delete("/{thing}")
    HttpResponse<?> revoke(String thing) throws SQLException {
        if (!identities.revokeCredential(thing)) {
            return Problem.of(HttpStatus.NOT_FOUND, "There is no credential for " + thing + ".");
        }
        return HttpResponse.noContent();
    }
}
