package io.hearth.web.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins for one name, or
 * {@link #FREE_FAILURES_PER_ADDRESS} from one address, further attempts are refused for a while
 * that doubles with each further failure (up to {@link #MAX_LOCK_MILLIS}). A success clears the
 * name's count. Shared by MQTT and HTTP logins, so switching protocol does not help an attacker.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final long FIRST_LOCK_MILLIS = 1_000;
    static final long MAX_LOCK_MILLIS = 15 * 60_000;
    /** Failures older than this are forgotten. */
    static final long MEMORY_MILLIS = 60 * 60_000;
    private static final int MAX_TRACKED = 100_000;

    private record Failures(int count, long last, long lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> byName = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds until {@code name} from {@code address} may try again; 0 when it may now. */
    public long waitMillis(String name, String address) {
        long now = clock.millis();
        return Math.max(remaining(byName.get(name), now), remaining(byAddress.get(address), now));
    }

    public void failed(String name, String address) {
        long now = clock.millis();
        if (byName.size() > MAX_TRACKED || byAddress.size() > MAX_TRACKED) {
            forgetOld(now);
        }
        byName.compute(name, (key, old) -> next(old, now, FREE_FAILURES));
        byAddress.compute(address, (key, old) -> next(old, now, FREE_FAILURES_PER_ADDRESS));
    }

    public void succeeded(String name) {
        byName.remove(name);
    }

    private static Failures next(Failures old, long now, int free) {
        int count = old == null || now - old.last() > MEMORY_MILLIS ? 1 : old.count() + 1;
        long lock = count <= free ? 0 : Math.min(MAX_LOCK_MILLIS, FIRST_LOCK_MILLIS << Math.min(20, count - free - 1));
        return new Failures(count, now, now + lock);
    }

    private static long remaining(Failures failures, long now) {
        return failures == null ? 0 : Math.max(0, failures.lockedUntil() - now);
    }

    private void forgetOld(long now) {
        byName.values().removeIf(f -> now - f.last() > MEMORY_MILLIS);
        byAddress.values().removeIf(f -> now - f.last() > MEMORY_MILLIS);
    }
}
