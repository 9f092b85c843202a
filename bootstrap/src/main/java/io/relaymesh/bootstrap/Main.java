package io.relaymesh.bootstrap;

import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.config.SecurityWarnings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Entry point: {@code java -jar relaymesh.jar [--config FILE]} (or {@code RELAYMESH_CONFIG=FILE}).
 * Exit codes: 143 after SIGTERM (130 after Ctrl-C) once sockets are closed, 1 when it cannot
 * start (e.g. the port is in use), 2 for a configuration problem, 70 when the listener died.
 * SIGHUP, or a change of the config file, reloads the configuration ({@link ConfigReloader}).
 */
public final class Main {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_LISTENER_DEAD = 70;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.install();
        Optional<Path> file;
        try {
            file = configFile(args);
        } catch (IllegalArgumentException e) {
            System.err.println("relaymesh: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        LoadResult result = ConfigLoader.load(file, System.getenv());
        if (result instanceof LoadResult.Rejected rejected) {
            System.err.println("relaymesh: the configuration" + file.map(p -> " in " + p).orElse("")
                    + " has " + rejected.problems().size() + " problem(s); not starting:");
            rejected.problems().forEach(p -> System.err.println("  - " + p));
            System.exit(EXIT_CONFIG);
            return;
        }
        LoadResult.Loaded loaded = (LoadResult.Loaded) result;
        RelaymeshConfig config = loaded.config();
        Logging.setLevel(config.app().logLevel());
        Logging.configure(config.app().logFormat(), config.server().podId());
        Logger log = Logger.getLogger(Main.class.getName());
        loaded.notes().forEach(log::info);
        SecurityWarnings.of(config).forEach(log::warning);
        // Installed before start-up so that an early SIGHUP cannot stop the JVM; it reloads once ready.
        java.util.concurrent.atomic.AtomicReference<ConfigReloader> reloaderRef =
                new java.util.concurrent.atomic.AtomicReference<>();
        Signals.onHangup(() -> {
            ConfigReloader current = reloaderRef.get();
            if (current == null) {
                log.warning("SIGHUP during start-up ignored; send it again once the server is up");
            } else {
                current.requestReload("SIGHUP");
            }
        });
        Relaymesh relaymesh;
        try {
            relaymesh = Relaymesh.start(config, loaded.generatedSecrets(), () -> {
                log.severe("exiting so that the supervisor restarts this pod (exit code " + EXIT_LISTENER_DEAD + ")");
                Thread.ofPlatform().start(() -> System.exit(EXIT_LISTENER_DEAD));
            });
        } catch (RuntimeException e) {
            System.err.println("relaymesh: could not start: "
                    + io.relaymesh.domain.error.UrlCredentials.strip(e.getMessage()));
            System.exit(1);
            return;
        }
        Relaymesh running = relaymesh;
        ConfigReloader reloader = ConfigReloader.start(running.component(), loaded, file, System.getenv());
        reloaderRef.set(reloader);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloader.close();
            running.close();
        }, "relaymesh-shutdown"));
        System.out.println(Banner.render(config, running.port(), loaded.generatedSecrets()));
        System.out.flush();
        running.awaitStopped();
    }

    static Optional<Path> configFile(String[] args) {
        String path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[++i];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: relaymesh [--config FILE]");
            }
        }
        if (path == null) {
            path = System.getenv(ConfigLoader.CONFIG_FILE_VARIABLE);
        }
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("config file " + p + " does not exist");
        }
        return Optional.of(p);
    }
}
