package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.ResultFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Node.js process of bench/node driven over its standard input and output (bench/node/lib/control.js):
 * one JSON command per line in, one JSON message per line out. {@link #call} waits (bounded) for the
 * answer to a command; other messages (ticks, logs) go to a listener. Standard error goes to a file.
 * Closing standard input makes the process exit; it is also stopped by its PID. Thread-safe.
 */
public final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final ChildProcesses children;
    private final OutputStream stdin;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<JsonNode> first = new CompletableFuture<>();
    private volatile Consumer<JsonNode> listener = message -> { };

    private NodeProcess(String name, Process process, ChildProcesses children) {
        this.name = name;
        this.process = process;
        this.children = children;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name("node-" + name).start(this::readLines);
    }

    /**
     * Starts {@code node script args} in {@code nodeDir}; waits until it prints its first line (started
     * or listening) and returns that line with the process.
     */
    public static NodeProcess start(String name, Path nodeDir, Path stderrFile, ChildProcesses children,
                                    List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
        NodeProcess node = new NodeProcess(name, children.start(name, builder), children);
        node.awaitFirst(Duration.ofSeconds(30));
        return node;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The first line the process printed ({"type":"started"} or {"type":"listening","port":…}). */
    public JsonNode firstLine() {
        return first.getNow(null);
    }

    public void onMessage(Consumer<JsonNode> listener) {
        this.listener = listener;
    }

    /** Sends {@code command} (its "cmd" field set) and waits at most {@code timeout} for the answer. */
    public JsonNode call(ObjectNode command, Duration timeout) {
        int id = ids.incrementAndGet();
        command.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (stdin) {
                stdin.write((ResultFile.JSON.writer().without(
                        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(command)
                        + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            JsonNode result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if ("error".equals(result.path("type").asText())) {
                throw new IllegalStateException(name + " failed " + command.path("cmd").asText() + ": "
                        + result.path("message").asText());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is not reading commands (exited?)", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not answer " + command.path("cmd").asText() + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    public static ObjectNode command(String cmd) {
        return ResultFile.JSON.createObjectNode().put("cmd", cmd);
    }

    private void awaitFirst(Duration timeout) {
        try {
            first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            close();
            throw new IllegalStateException(name + " did not start within " + timeout.toSeconds() + " s"
                    + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted starting " + name, e);
        }
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode message;
                try {
                    message = ResultFile.JSON.readTree(line);
                } catch (IOException notJson) {
                    continue;
                }
                if (!first.isDone()) {
                    first.complete(message);
                    if ("error".equals(message.path("type").asText())) {
                        continue;
                    }
                }
                String type = message.path("type").asText();
                CompletableFuture<JsonNode> answer = message.has("id") ? pending.get(message.get("id").asInt()) : null;
                if (answer != null && ("done".equals(type) || "error".equals(type))) {
                    answer.complete(message);
                } else {
                    listener.accept(message);
                }
            }
        } catch (IOException e) {
            // The process ended; pending calls fail below.
        }
        IllegalStateException gone = new IllegalStateException(name + " exited");
        first.completeExceptionally(gone);
        pending.values().forEach(answer -> answer.completeExceptionally(gone));
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Already closed: the process is going anyway.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                children.stop(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stop(process);
    }
}
