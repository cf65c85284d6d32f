package io.hearth.cloud.outbox;

import io.hearth.cloud.upstream.UpstreamRefusedException;
import io.hearth.cloud.upstream.UpstreamSession;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the outbox to the cloud while a session is up: a bounded window of QoS 1 publishes in
 * flight, each entry removed on its PUBACK. Runs on one thread of its own, so a slow cloud never
 * holds up the shadow service.
 */
public final class OutboxSender {

    /** Publishes in flight at once; enough to fill a typical receive window without flooding memory. */
    static final int WINDOW = 64;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);

    private final Outbox outbox;
    private final ExecutorService thread;
    private volatile UpstreamSession session;

    public OutboxSender(Outbox outbox, ExecutorService thread) {
        this.outbox = outbox;
        this.thread = thread;
        outbox.onWaiting(this::wake);
    }

    public void connected(UpstreamSession newSession) {
        session = newSession;
        wake();
    }

    public void disconnected() {
        session = null;
        outbox.requeueInFlight();
    }

    private void wake() {
        if (session != null && !thread.isShutdown()) {
            try {
                thread.execute(this::pump);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void pump() {
        UpstreamSession current = session;
        if (current == null) {
            return;
        }
        int room = WINDOW - outbox.inFlight();
        if (room <= 0) {
            return;
        }
        for (OutboxEntry entry : outbox.take(room)) {
            current.publish(entry.topic(), entry.payload(), false).whenComplete((ok, failure) -> {
                if (failure == null) {
                    outbox.acknowledged(entry);
                    wake();
                } else if (unwrap(failure) instanceof UpstreamRefusedException refusal) {
                    LOG.warn("The cloud refused {}: {}", entry.topic(), refusal.getMessage());
                    outbox.refused(entry, refusal.getMessage());
                    wake();
                }
                // Any other failure is a lost connection: the entry is sent again on the next one.
            });
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
