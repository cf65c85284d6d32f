package io.hearth.broker.protocol;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects every warning and error logged while it is open. Netty's ResourceLeakDetector reports
 * a leaked buffer only through its logger, and MqttConnection reports an exception that escaped
 * its protocol logic only as a warning, so this is how a test sees either.
 */
final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final String LEAK_LOGGER = "io.netty.util.ResourceLeakDetector";

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<ILoggingEvent> events = new ArrayList<>();

    LogWatch() {
        setName("log-watch");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            events.add(event);
        }
    }

    /** The leak reports Netty logged. */
    synchronized List<String> leaks() {
        return events.stream().filter(e -> e.getLoggerName().startsWith(LEAK_LOGGER))
                .map(e -> e.getFormattedMessage().lines().limit(12).reduce("", (a, b) -> a + "\n" + b)).toList();
    }

    /** Every other warning or error, with its logger. */
    synchronized List<String> warnings() {
        return events.stream().filter(e -> !e.getLoggerName().startsWith(LEAK_LOGGER))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    synchronized void clear() {
        events.clear();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
