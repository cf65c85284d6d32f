package io.hearth.web.auth;

import io.hearth.web.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Authenticates every API request (Bearer token or session cookie), checks its role against
 * {@link AccessRules}, demands the CSRF header on state-changing cookie requests, and puts the
 * security headers on every response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ApiAccessFilter {

    static final String SESSION_COOKIE = "hearth_session";
    static final String CSRF_COOKIE = "hearth_csrf";
    static final String CSRF_HEADER = "X-Hearth-CSRF";
    /** The UI loads its scripts and styles from the hub only; no inline code, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final IdentityStore identities;

    ApiAccessFilter(IdentityStore identities) {
        this.identities = identities;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        MutableHttpResponse<?> refusal = refusal(request);
        // A refusal answered here skips the response filter below, so it gets the headers now.
        return refusal == null ? null : secure(refusal);
    }

    @Nullable
    private MutableHttpResponse<?> refusal(HttpRequest<?> request) {
        AccessRules.Needs needs = AccessRules.needs(request.getMethod(), request.getPath());
        if (needs == AccessRules.Needs.NOBODY) {
            return null;
        }
        Optional<Caller> caller;
        try {
            caller = caller(request);
        } catch (SQLException e) {
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "Logins cannot be checked right now: " + e.getMessage());
        } catch (CsrfException e) {
            return Problem.of(HttpStatus.FORBIDDEN, "This request needs the " + CSRF_HEADER
                    + " header with the value of the " + CSRF_COOKIE + " cookie. Reload the page and try again.");
        }
        if (caller.isEmpty()) {
            return Problem.of(HttpStatus.UNAUTHORIZED, "Log in first: POST /api/v1/session, or send an API token as "
                    + "'Authorization: Bearer <token>'.").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hearth\"");
        }
        if (needs == AccessRules.Needs.OWNER && !caller.get().isOwner()) {
            return Problem.of(HttpStatus.FORBIDDEN, "Only an owner of this home may do that; ask one of them.");
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    @ResponseFilter
    MutableHttpResponse<?> secure(MutableHttpResponse<?> response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    private static final class CsrfException extends Exception {
        CsrfException() {
            super(null, null, false, false);
        }
    }

    private Optional<Caller> caller(HttpRequest<?> request) throws SQLException, CsrfException {
        Optional<String> authorization = request.getHeaders().getAuthorization();
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return identities.byToken(value.substring(7).trim())
                    .map(user -> new Caller(user.name(), user.role(), false, System.nanoTime()));
        }
        Optional<Cookie> cookie = request.getCookies().findCookie(SESSION_COOKIE);
        if (cookie.isEmpty()) {
            return Optional.empty();
        }
        Optional<IdentityStore.WebSession> session = identities.session(cookie.get().getValue());
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (AccessRules.changesState(request.getMethod())) {
            String sent = request.getHeaders().get(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    session.get().csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new CsrfException();
            }
        }
        return Optional.of(new Caller(session.get().user(), session.get().role(), true, System.nanoTime()));
    }
}
