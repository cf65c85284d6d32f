package io.hearth.web.events;

import io.hearth.web.auth.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /api/v1/events}: the home's live events ({@link HomeEvents}) as JSON text frames. The
 * upgrade request passes the same access filter as every API call, so the browser's session cookie
 * (or an app's Bearer token) decides who may listen; anyone else is closed at once.
 */
@ServerWebSocket("/api/v1/events")
final class EventSocket {

    private final HomeEvents events;
    private final Map<String, Runnable> listening = new ConcurrentHashMap<>();

    EventSocket(HomeEvents events) {
        this.events = events;
    }

    @OnOpen
    void open(WebSocketSession session, HttpRequest<?> request) {
        if (Caller.of(request).isEmpty()) {
            session.close(CloseReason.POLICY_VIOLATION);
            return;
        }
        listening.put(session.getId(), events.subscribe(text -> {
            if (session.isOpen()) {
                session.sendAsync(text);
            }
        }));
        // Tells the client it is connected: after a reconnect it fetches the device list again.
        session.sendAsync("{\"type\":\"hello\"}");
    }

    @OnMessage
    void message(String text, WebSocketSession session) {
        // Nothing to say to the hub here; changes go through the REST API with its CSRF check.
    }

    @OnClose
    void close(WebSocketSession session) {
        Runnable stop = listening.remove(session.getId());
        if (stop != null) {
            stop.run();
        }
    }
}
