package io.hearth.installer;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.HubVersion;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirInUseException;
import io.hearth.core.store.DataDirLock;
import io.hearth.installer.config.ConfigException;
import io.hearth.installer.config.ConfigLoader;
import io.hearth.installer.config.ConfigSources;
import io.hearth.installer.admin.AdminActions;
import io.hearth.installer.admin.AdminClient;
import io.hearth.installer.admin.AdminRequest;
import io.hearth.web.auth.IdentityStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth <command>}: the hub's entry point. Exit status 0 on success; 2 for a command line or
 * configuration the user must fix; 1 when the hub could not run. Failures print one line on stderr.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** After this long, a shutdown that is still busy is cut short so supervisors are not kept waiting. */
    private static final long SHUTDOWN_LIMIT_MILLIS = 5_000;

    private static final String USAGE_TEXT = """
            Usage: hearth [command] [--data-dir DIR] [--config FILE]

            Commands:
              run                 start the hub (the default)
              user add NAME --role owner|member --password-stdin
                                  create a web and API user
              credential add THING --password-stdin [--allow FILTER...]
                                  create an MQTT login for a device or app
              credential add THING --certificate-only [--allow FILTER...]
                                  the same without a password: only a TLS client certificate
                                  with CN=THING from the authority in tls/client-ca.pem logs in
              credential revoke THING
                                  revoke it; a running hub closes its connections at once
              backup --out FILE   write the database, TLS material and configuration to FILE
                                  (while the hub runs, too)
              restore FILE        put a backup back; the hub must be stopped
              version             print the version and exit
              help                show this text

            The user, credential and backup commands work whether or not a hub runs on the data dir.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status = execute(args, System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, System.in, out, err);
    }

    static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("hearth: " + e.getMessage() + ". Try 'hearth help'.");
            return USAGE;
        }
        return switch (line.command()) {
            case "run" -> run(line, err);
            case "user", "credential" -> identity(line, in, out, err);
            case "backup", "restore" -> BackupCommands.execute(line, out, err);
            case "version" -> {
                out.println("Hearth " + HubVersion.current());
                yield OK;
            }
            case "help" -> {
                out.print(USAGE_TEXT);
                yield OK;
            }
            default -> {
                err.println("hearth: unknown command '" + line.command() + "'. Try 'hearth help'.");
                yield USAGE;
            }
        };
    }

    private static int identity(CommandLine line, InputStream in, PrintStream out, PrintStream err) {
        LogSetup.quiet();
        HearthConfig config;
        AdminRequest request;
        try {
            config = new ConfigLoader().load(ConfigSources.ofProcess(line.dataDir(), line.configFile()));
            request = IdentityCommands.parse(line.command(), line.arguments(), in);
        } catch (ConfigException e) {
            err.println("hearth: configuration error: " + e.getMessage());
            return USAGE;
        } catch (CommandLine.UsageException | IdentityStore.IdentityException e) {
            err.println("hearth: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("hearth: cannot read the password: " + e.getMessage());
            return FAILED;
        }
        try {
            out.println(AdminClient.run(config.dataDir(), request));
            return OK;
        } catch (AdminActions.AdminException e) {
            err.println("hearth: " + e.getMessage());
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("hearth: " + line.command() + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static int run(CommandLine line, PrintStream err) {
        if (!line.arguments().isEmpty()) {
            err.println("hearth: run does not take '" + line.arguments().get(0) + "'. Try 'hearth help'.");
            return USAGE;
        }
        HearthConfig config;
        try {
            config = new ConfigLoader().load(ConfigSources.ofProcess(line.dataDir(), line.configFile()));
        } catch (ConfigException e) {
            err.println("hearth: configuration error: " + e.getMessage());
            return USAGE;
        }
        DataDir dataDir;
        DataDirLock lock;
        boolean firstStart = !java.nio.file.Files.exists(config.dataDir().resolve("hearth.mv.db"));
        try {
            dataDir = DataDir.prepare(config.dataDir());
            lock = DataDirLock.acquire(dataDir);
        } catch (IOException e) {
            err.println("hearth: cannot use the data directory " + config.dataDir().toAbsolutePath() + ": " + e.getMessage());
            return FAILED;
        } catch (DataDirInUseException e) {
            err.println("hearth: " + e.getMessage());
            return FAILED;
        }
        LogSetup.logToFiles(dataDir.logs());
        Logger log = LoggerFactory.getLogger(Main.class);

        Hub hub = new Hub(config.withDataDir(dataDir.root()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_LIMIT_MILLIS);
                    log.error("Stopping took longer than {} s; exiting now", SHUTDOWN_LIMIT_MILLIS / 1000);
                    LogSetup.flush();
                    Runtime.getRuntime().halt(FAILED);
                } catch (InterruptedException finished) {
                    Thread.currentThread().interrupt();
                }
            }, "hearth-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            hub.stop();
            release(lock);
            watchdog.interrupt();
            stopped.countDown();
            LogSetup.flush();
        }, "hearth-shutdown"));

        log.info("Starting Hearth {} with data in {}{}", HubVersion.current(), dataDir.root(),
                firstStart ? " (first start: the database and TLS certificate are made now, readable by this user only)" : "");
        try {
            hub.start();
        } catch (Exception e) {
            log.error("Hearth could not start: {}", e.getMessage());
            err.println("hearth: could not start: " + e.getMessage());
            return FAILED;
        }
        log.info("Hearth is ready in {} ms.", ManagementFactory.getRuntimeMXBean().getUptime());
        signalReady(log);
        log.info(welcome(hub));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /** Creates the file the launcher named in {@link ConfigLoader#READY_FILE_VARIABLE}, if it named one. */
    private static void signalReady(Logger log) {
        String readyFile = System.getenv(ConfigLoader.READY_FILE_VARIABLE);
        if (readyFile == null || readyFile.isEmpty()) {
            return;
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(readyFile), "");
        } catch (IOException e) {
            log.warn("Could not tell the launcher the hub is ready ({}): {}", readyFile, e.getMessage());
        }
    }

    /** Where the homeowner goes next: onboarding while the home has no owner, else the dashboard. */
    private static String welcome(Hub hub) {
        String here = "http://localhost:" + hub.httpPort() + "/";
        String there = "http://" + hostName() + ":" + hub.httpPort() + "/";
        String address = there.equals(here) ? here : there + " (on this computer: " + here + ")";
        return hub.needsOwner()
                ? "No owner yet: open " + address + " in a browser to create the owner account."
                : "Open " + address + " in a browser.";
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static void release(DataDirLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            // The OS drops the lock when the process ends anyway.
        }
    }
}
