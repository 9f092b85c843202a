package io.relaymesh.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when the config file's content changes. It watches the file's directory, not the
 * file: editors save by writing a new file and renaming it, and Kubernetes updates a mounted
 * ConfigMap by swapping a symlink beside it. A burst of events is debounced, then the content is
 * compared with what was last seen, so only a real change (not a touch, not a half-written file
 * followed by its rest) triggers one reload. Thread-safe.
 */
final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final Duration debounce;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler;
    private final WatchService watcher;
    private final Thread thread;
    private byte[] lastDigest;
    private ScheduledFuture<?> pending;

    private ConfigFileWatcher(Path file, Duration debounce, Runnable onChange, ScheduledExecutorService scheduler)
            throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.debounce = debounce;
        this.onChange = onChange;
        this.scheduler = scheduler;
        this.lastDigest = digest();
        Path directory = this.file.getParent();
        this.watcher = directory.getFileSystem().newWatchService();
        directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("relaymesh-config-watch").start(this::watch);
    }

    /**
     * Starts watching {@code file}; {@code onChange} runs on {@code scheduler} once the file has
     * been quiet for {@code debounce} with a content other than the last seen.
     */
    static ConfigFileWatcher start(Path file, Duration debounce, Runnable onChange,
                                   ScheduledExecutorService scheduler) throws IOException {
        return new ConfigFileWatcher(file, debounce, onChange, scheduler);
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents(); // any event in the directory may be ours (renames, symlink swaps)
                key.reset();
                schedule();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = scheduler.schedule(this::check, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        synchronized (this) {
            if (!Files.exists(file)) {
                return; // deleted, or half-way through a replace: wait for it to come back
            }
            byte[] now = digest();
            if (now == null || Arrays.equals(now, lastDigest)) {
                return;
            }
            lastDigest = now;
        }
        LOG.debug("config file {} changed", file);
        onChange.run();
    }

    /**
     * Records the file's current content as seen: a reload that is about to read it (SIGHUP) marks
     * it, so the watcher does not reload the same content a second time.
     */
    synchronized void markSeen() {
        byte[] now = digest();
        if (now != null) {
            lastDigest = now;
        }
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the config file watcher failed", e);
        }
        thread.interrupt();
    }
}
