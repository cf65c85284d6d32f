package io.hearth.installer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The hub's logging, set up in code rather than XML (Logback's XML reader alone loads hundreds of
 * classes, a visible share of start-up time on a small board). The console gets one line per
 * event; the rolling file in {@code <data-dir>/logs} is added once the configuration is loaded.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** Libraries that are chatty at INFO; their warnings still show. */
    private static final Map<String, Level> QUIETER = Map.of(
            "io.micronaut", Level.WARN,
            "io.netty", Level.WARN,
            "org.flywaydb", Level.WARN,
            "h2database", Level.WARN,
            // The hub explains a failed HTTP start itself, with what to do about it.
            "io.micronaut.http.server.netty.NettyHttpServer", Level.OFF);

    /** Called by Logback when logging is first used. */
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        // An unexpected exception is folded into its event's line: its type, message and first frame.
        console.setEncoder(encoder(context,
                "%d{HH:mm:ss.SSS} %-5level %-12logger{0} "
                        + "%replace(%replace(%msg %ex{1}){'[\\r\\n\\t]+', ' '}){'\\s+$', ''}%nopex%n"));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void logToFiles(Path logsDir) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(logsDir.resolve("hearth.log").toString());

        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(logsDir.resolve("hearth.%d{yyyy-MM-dd}.%i.log.gz").toString());
        // Bounded so logs can never fill a small board's SD card: at most 100 MB, two weeks.
        rolling.setMaxFileSize(FileSize.valueOf("10MB"));
        rolling.setMaxHistory(14);
        rolling.setTotalSizeCap(FileSize.valueOf("100MB"));
        rolling.start();

        file.setRollingPolicy(rolling);
        file.setEncoder(encoder(context, "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} %msg%n"));
        file.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    }

    /** For commands that print their own result: only warnings and errors reach the console. */
    static void quiet() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /** Writes out what is buffered; the last thing the process does. */
    static void flush() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
