package io.relaymesh.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every process a benchmark starts (servers, pods, Node clients), so that each is stopped by its
 * PID: in reverse order on {@link #close()}, from a shutdown hook when the JVM is interrupted, and
 * by {@code bench/run.sh}'s exit trap from the PID file ({@code -Dbench.pids}, one "pid name" per
 * line) when the JVM itself was killed. Thread-safe.
 */
public final class ChildProcesses implements AutoCloseable {
    private final List<Named> started = new ArrayList<>();
    private final Path pidFile;
    private final Thread hook = new Thread(this::close, "bench-child-cleanup");

    public record Named(String name, Process process) {
    }

    public ChildProcesses() {
        String configured = System.getProperty("bench.pids");
        this.pidFile = configured == null || configured.isBlank() ? null : Path.of(configured);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code builder}, remembers it under {@code name} and writes its PID to the PID file. */
    public synchronized Process start(String name, ProcessBuilder builder) {
        try {
            Process process = builder.start();
            started.add(new Named(name, process));
            if (pidFile != null) {
                Files.writeString(pidFile, process.pid() + " " + name + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + String.join(" ", builder.command())
                    + "): " + e.getMessage(), e);
        }
    }

    /** Stops one process by its PID: SIGTERM, then SIGKILL when it is still alive after {@code graceSeconds}. */
    public static void stop(Process process, int graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops the named process now (and forgets it). */
    public synchronized void stop(Process process) {
        stop(process, 15);
        started.removeIf(n -> n.process() == process);
    }

    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            stop(started.get(i).process(), 15);
        }
        started.clear();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: nothing left for it to do.
            }
        }
    }
}
