package io.hearth.web.auth;

import io.micronaut.http.HttpMethod;

/**
 * Who may call which route. Everything under {@code /api} needs a login except health, logging in and
 * the first owner's onboarding; members view and control devices, while managing users, credentials,
 * tokens of others, pairing, cloud settings, device removal and metrics is for owners.
 */
final class AccessRules {

    enum Needs { NOBODY, ANY_USER, OWNER }

    private AccessRules() {
    }

    static Needs needs(HttpMethod method, String path) {
        if (!path.startsWith("/api/") && !path.equals("/api") && !path.equals("/metrics")) {
            return Needs.NOBODY;
        }
        if (path.equals("/api/v1/health") || path.equals("/api/v1/onboarding")
                || (path.equals("/api/v1/session") && method == HttpMethod.POST)) {
            return Needs.NOBODY;
        }
        boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (path.equals("/metrics") || under(path, "/api/v1/users") || under(path, "/api/v1/credentials")
                || under(path, "/api/v1/cloud") || (under(path, "/api/v1/pairing") && !reading)
                || (path.equals("/api/v1/tokens") && method == HttpMethod.POST)) {
            return Needs.OWNER;
        }
        if (under(path, "/api/v1/devices") && (method == HttpMethod.PATCH || method == HttpMethod.DELETE)) {
            return Needs.OWNER;
        }
        if (under(path, "/api/v1/things") && method == HttpMethod.DELETE) {
            return Needs.OWNER;
        }
        return Needs.ANY_USER;
    }

    /** True for requests that change something: a session cookie alone must not be enough for them. */
    static boolean changesState(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
