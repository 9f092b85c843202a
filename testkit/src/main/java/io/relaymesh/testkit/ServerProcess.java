package io.relaymesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * One server binary (redis-server, nats-server) run as a child process on a fixed loopback port in
 * its own temporary folder, with its output in {@code server.log} there. It can be stopped and
 * started again on the same port and folder. Thread-safe: every state change is synchronized.
 */
final class ServerProcess {
    static final String HOST = "127.0.0.1";
    /** How long a start may take before it counts as failed. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(25);
    private static final int LOG_TAIL_LINES = 40;

    /** Tells whether the server on a port is ready; must return within about a second. */
    interface ReadinessProbe {
        boolean isReady(String host, int port);
    }

    private final String name;
    private final Path binary;
    private final Path dir;
    private final int port;
    private final IntFunction<List<String>> arguments;
    private final ReadinessProbe probe;
    private Process process;
    private boolean closed;

    private ServerProcess(String name, Path binary, Path dir, int port, IntFunction<List<String>> arguments,
                          ReadinessProbe probe) {
        this.name = name;
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.arguments = arguments;
        this.probe = probe;
    }

    /**
     * Starts {@code binary} on a free port in a new temporary folder and waits until it is ready.
     * A port taken by someone else between choosing and binding is retried with another port.
     *
     * @param arguments the command-line arguments for a port, the folder being the working directory
     */
    static ServerProcess launch(String name, Path binary, IntFunction<List<String>> arguments, ReadinessProbe probe) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir = newTempDir(name);
            ServerProcess server = new ServerProcess(name, binary, dir, FreePorts.pick(), arguments, probe);
            try {
                server.start();
                return server;
            } catch (IllegalStateException failed) {
                server.close();
                last = failed;
            }
        }
        throw last;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again) on its port and folder; returns once it is ready. Idempotent. */
    synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name + " on port " + port + " was closed for good");
        }
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments.apply(port));
        try {
            appendLog("---- relaymesh testkit: starting " + String.join(" ", command) + System.lineSeparator());
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        awaitReady();
    }

    /** Stops the server by its PID (SIGTERM, then SIGKILL after a bounded wait); keeps the folder. Idempotent. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        ProcessHandle handle = stopping.toHandle();
        handle.destroy();
        if (!waitFor(stopping, STOP_TIMEOUT)) {
            handle.destroyForcibly();
            if (!waitFor(stopping, STOP_TIMEOUT)) {
                throw new IllegalStateException(name + " (pid " + handle.pid() + ") did not exit after SIGKILL");
            }
        }
    }

    /** Stops the server and deletes its folder; it cannot start again. Idempotent, never throws. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("relaymesh testkit: " + e.getMessage());
        }
        deleteQuietly(dir);
    }

    /** The last lines the server wrote, for failure messages. */
    synchronized String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                throw new IllegalStateException(name + " exited with code " + exit + " before it was ready on port "
                        + port + "; log tail (" + logFile() + "):" + System.lineSeparator() + logTail());
            }
            if (probe.isReady(HOST, port)) {
                return;
            }
            sleep(PROBE_INTERVAL);
        }
        String tail = logTail();
        stop();
        throw new IllegalStateException(name + " was not ready on " + HOST + ":" + port + " within "
                + READY_TIMEOUT.toSeconds() + " s; log tail (" + logFile() + "):" + System.lineSeparator() + tail);
    }

    private Path logFile() {
        return dir.resolve("server.log");
    }

    private void appendLog(String line) throws IOException {
        Files.writeString(logFile(), line, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server", e);
        }
    }

    private static Path newTempDir(String name) {
        try {
            return Files.createTempDirectory("relaymesh-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary folder for " + name, e);
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover folder under /tmp is harmless; a failing cleanup must not fail the run.
        }
    }
}
