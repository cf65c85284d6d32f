package io.hearth.web.auth;

import io.hearth.core.auth.Role;
import io.micronaut.http.HttpRequest;
import java.util.Optional;

/**
 * Who made an API request, as the access filter established it; controllers read it from the request.
 *
 * @param bySession true for a browser session cookie, false for a Bearer token
 * @param checkedAt {@link System#nanoTime()} when the login was checked, so a revocation that came later
 *                  can still end what the request opened
 */
public record Caller(String name, Role role, boolean bySession, long checkedAt) {

    static final String ATTRIBUTE = "hearth.caller";

    public static Optional<Caller> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class);
    }

    public boolean isOwner() {
        return role == Role.OWNER;
    }
}
