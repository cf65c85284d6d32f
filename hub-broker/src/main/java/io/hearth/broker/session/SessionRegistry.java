package io.hearth.broker.session;

import io.hearth.broker.Broker;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions by client id. A client id has at most one session, and one live connection. */
public final class SessionRegistry {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.Future<?>> delayedWills = new ConcurrentHashMap<>();

    /** Remembers a will waiting for its Will Delay Interval; a reconnect of the client cancels it. */
    public void delayWill(String clientId, java.util.concurrent.Future<?> publication) {
        java.util.concurrent.Future<?> previous = delayedWills.put(clientId, publication);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** The client is back: its delayed will is not published. */
    public void cancelWill(String clientId) {
        java.util.concurrent.Future<?> pending = delayedWills.remove(clientId);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** The delayed will was published. */
    public void willDone(String clientId, java.util.concurrent.Future<?> publication) {
        delayedWills.remove(clientId, publication);
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public void put(Session session) {
        sessions.put(session.id(), session);
    }

    public boolean remove(Session session) {
        return sessions.remove(session.id(), session);
    }

    /**
     * Ends the sessions whose expiry has passed while their clients were away: their subscriptions
     * leave the broker and their stored state is deleted.
     */
    public void endExpired(long nowNanos, Broker broker) {
        for (Session session : List.copyOf(sessions.values())) {
            if (session.expired(nowNanos) && remove(session)) {
                broker.unregister(session, session.subscriptionList());
                session.forget();
            }
        }
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
