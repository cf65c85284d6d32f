package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.auth.AuthenticationException;
import io.hearth.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code /api/v1/session}: logging in with name and password sets the HttpOnly session cookie and the
 * readable CSRF cookie; logging out ends the session; GET says who is logged in.
 */
@Controller("/api/v1/session")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SessionController {

    private final IdentityStore identities;

    SessionController(IdentityStore identities) {
        this.identities = identities;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> login(HttpRequest<?> request, @Body JsonNode body) throws SQLException {
        String username = Fields.text(body, "username");
        String password = Fields.text(body, "password");
        if (username == null || password == null) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Send {\"username\": \"...\", \"password\": \"...\"}.");
        }
        try {
            IdentityStore.User user = identities.login(username, password.toCharArray(), Fields.address(request));
            return loggedIn(HttpResponse.ok(), identities, user);
        } catch (AuthenticationException e) {
            if (e.reason() == AuthenticationException.Reason.THROTTLED) {
                return Problem.of(HttpStatus.TOO_MANY_REQUESTS, OnboardingController.capitalized(e.getMessage()) + ".");
            }
            return Problem.of(HttpStatus.UNAUTHORIZED, "Wrong user name or password.");
        }
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, Object> whoAmI(HttpRequest<?> request) {
        Caller caller = Caller.of(request).orElseThrow();
        return Map.of("username", caller.name(), "role", caller.role().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Delete
    HttpResponse<?> logout(HttpRequest<?> request) throws SQLException {
        request.getCookies().findCookie(ApiAccessFilter.SESSION_COOKIE).ifPresent(cookie -> {
            try {
                identities.endSession(cookie.getValue());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return HttpResponse.noContent()
                .cookie(Cookie.of(ApiAccessFilter.SESSION_COOKIE, "").path("/").maxAge(0).httpOnly(true).sameSite(SameSite.Strict))
                .cookie(Cookie.of(ApiAccessFilter.CSRF_COOKIE, "").path("/").maxAge(0).sameSite(SameSite.Strict));
    }

    /** Starts a session for {@code user} and sets its cookies on {@code response}. */
    static MutableHttpResponse<?> loggedIn(MutableHttpResponse<?> response, IdentityStore identities, IdentityStore.User user)
            throws SQLException {
        IdentityStore.Issued session = identities.startSession(user);
        long seconds = IdentityStore.SESSION_LIFETIME.toSeconds();
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("username", user.name(), "role", user.role().name().toLowerCase(java.util.Locale.ROOT)))
                .cookie(Cookie.of(ApiAccessFilter.SESSION_COOKIE, session.secret()).path("/").maxAge(seconds)
                        .httpOnly(true).sameSite(SameSite.Strict))
                // Readable by the page's script on purpose: it sends the value back in the CSRF header.
                .cookie(Cookie.of(ApiAccessFilter.CSRF_COOKIE, session.id()).path("/").maxAge(seconds)
                        .sameSite(SameSite.Strict));
    }
}
