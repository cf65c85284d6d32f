package io.hearth.web.events;

import io.hearth.web.auth.Caller;
import io.hearth.web.auth.IdentityStore;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /api/v1/events}: the home's live events ({@link HomeEvents}) as JSON text frames. The
 * upgrade request passes the same access filter as every API call, so the browser's session cookie
 * (or an app's Bearer token) decides who may listen; anyone else is closed at once. When a user is
 * deleted, changes role or loses a token, their streams are closed at once; a client still entitled to
 * listen reconnects and is checked again.
 */
@ServerWebSocket("/api/v1/events")
final class EventSocket {

    private final HomeEvents events;
    private final Map<String, Listener> listening = new ConcurrentHashMap<>();
    /** When each name was last revoked ({@link System#nanoTime()}). */
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();

    private record Listener(String user, WebSocketSession session, Runnable unsubscribe) {
    }

    EventSocket(HomeEvents events, IdentityStore identities) {
        this.events = events;
        identities.onRevoked(this::revoked);
    }

    private void revoked(String name) {
        revokedAt.put(name, System.nanoTime());
        listening.values().stream().filter(listener -> listener.user().equals(name))
                .forEach(listener -> listener.session().close(CloseReason.POLICY_VIOLATION));
    }

    @OnOpen
    void open(WebSocketSession session, HttpRequest<?> request) {
        Optional<Caller> caller = Caller.of(request);
        if (caller.isEmpty()) {
            session.close(CloseReason.POLICY_VIOLATION);
            return;
        }
        listening.put(session.getId(), new Listener(caller.get().name(), session, events.subscribe(text -> {
            if (session.isOpen()) {
                session.sendAsync(text);
            }
        })));
        // The stream opens a moment after its login was checked; a revocation in between still ends it.
        Long revoked = revokedAt.get(caller.get().name());
        if (revoked != null && revoked - caller.get().checkedAt() >= 0) {
            session.close(CloseReason.POLICY_VIOLATION);
            return;
        }
        // Tells the client it is connected: after a reconnect it fetches the device list again.
        session.sendAsync("{\"type\":\"hello\"}");
    }

    @OnMessage
    void message(String text, WebSocketSession session) {
        // Nothing to say to the hub here; changes go through the REST API with its CSRF check.
    }

    @OnClose
    void close(WebSocketSession session) {
        Listener listener = listening.remove(session.getId());
        if (listener != null) {
            listener.unsubscribe().run();
        }
    }
}
