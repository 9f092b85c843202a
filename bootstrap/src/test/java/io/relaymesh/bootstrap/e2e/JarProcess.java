package io.relaymesh.bootstrap.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built distribution (bootstrap/target/relaymesh.jar) run as a real process, as `make run` does. */
final class JarProcess implements AutoCloseable {
    final int port;
    final Process process;
    final Path log;
    /** Standard error on its own, or null when it goes to {@link #log} with standard output. */
    final Path errorLog;
    private final HttpClient http = HttpClient.newHttpClient();

    private JarProcess(int port, Process process, Path log, Path errorLog) {
        this.port = port;
        this.process = process;
        this.log = log;
        this.errorLog = errorLog;
    }

    /**
     * Environment with the test keys on a free port, accepting the server key on socket URLs as seed
     * clients send it ({@code auth.ws_accepts_secret_token}, the compatibility setting).
     */
    static Map<String, String> keyedEnv(int port) {
        Map<String, String> env = new java.util.HashMap<>(safeEnv(port));
        env.put("RELAYMESH_AUTH_WS_ACCEPTS_SECRET_TOKEN", "true");
        return Map.copyOf(env);
    }

    /** Environment with the test keys on a free port and the safe default: no server key on sockets. */
    static Map<String, String> safeEnv(int port) {
        return Map.of(
                "RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port),
                "RELAYMESH_SERVER_HOST", "127.0.0.1",
                "RELAYMESH_AUTH_SECRET_TOKEN", GatewayHarness.GENERAL_KEY,
                "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", GatewayHarness.ADMIN_KEY,
                "RELAYMESH_AUTH_TOKEN_AES_KEY", GatewayHarness.USER_AES,
                "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", GatewayHarness.ADMIN_AES,
                "RELAYMESH_SERVER_CLUSTER_SECRET", GatewayHarness.CLUSTER_SECRET);
    }

    /**
     * Gives the jar SIGHUP's default action, as an operator's shell does, even when these tests
     * were started with SIGHUP ignored (under nohup, say), which the jar would otherwise inherit.
     */
    private static final String DEFAULT_HANGUP = "env --default-signal=HUP";

    /**
     * Starts the jar with only {@code env} as RELAYMESH_* settings (inherited ones are removed).
     *
     * @param fileLimit open-file limit for the process (ulimit -n), or 0 to keep the current one
     */
    static JarProcess start(int port, Map<String, String> env, int fileLimit, String... args) throws IOException {
        return start(port, env, fileLimit, false, DEFAULT_HANGUP, args);
    }

    /** Like {@link #start}, with standard error (the log lines) in {@link #errorLog}, apart from standard output. */
    static JarProcess startWithSeparateStderr(int port, Map<String, String> env, String... args) throws IOException {
        return start(port, env, 0, true, DEFAULT_HANGUP, args);
    }

    /** Like {@link #start}, under {@code nohup}: the jar starts with SIGHUP ignored. */
    static JarProcess startUnderNohup(int port, Map<String, String> env, String... args) throws IOException {
        return start(port, env, 0, false, "nohup", args);
    }

    /** @param launcher what runs java: {@link #DEFAULT_HANGUP}, or {@code nohup} */
    private static JarProcess start(int port, Map<String, String> env, int fileLimit, boolean separateStderr,
                                    String launcher, String... args) throws IOException {
        String jar = System.getProperty("relaymesh.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the built jar is needed: " + jar);
        Path log = Files.createTempFile("relaymesh-jar", ".log");
        StringBuilder command = new StringBuilder();
        if (fileLimit > 0) {
            command.append("ulimit -n ").append(fileLimit).append(" && ");
        }
        command.append("exec ").append(launcher).append(" \"")
                .append(Path.of(System.getProperty("java.home"), "bin", "java"))
                .append("\" -Xmx256m --enable-native-access=ALL-UNNAMED -jar \"").append(jar).append('"');
        for (String arg : args) {
            command.append(" '").append(arg).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("RELAYMESH_"));
        pb.environment().putAll(env);
        // The topics' standalone store is a file: a test jar gets its own, never one in the working folder.
        if (!env.containsKey("RELAYMESH_DIALECTS_TOPICS_STORE_PATH")) {
            pb.environment().put("RELAYMESH_DIALECTS_TOPICS_STORE_PATH",
                    Files.createTempDirectory("relaymesh-topics").resolve("topics.db").toString());
        }
        // The mailbox's standalone store is a file: a test jar gets its own, never one in the working folder.
        if (!env.containsKey("RELAYMESH_DIALECTS_MAILBOX_STORE_PATH")) {
            pb.environment().put("RELAYMESH_DIALECTS_MAILBOX_STORE_PATH",
                    Files.createTempDirectory("relaymesh-mailbox").resolve("mailbox.db").toString());
        }
        Path errorLog = null;
        if (separateStderr) {
            errorLog = Files.createTempFile("relaymesh-jar", ".err");
            pb.redirectError(errorLog.toFile()).redirectOutput(log.toFile());
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return new JarProcess(port, pb.start(), log, errorLog);
    }

    /** Environment on a free port with no auth key: a standalone jar generates its keys, as under {@code make run}. */
    static Map<String, String> unkeyedEnv(int port) {
        return Map.of(
                "RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port),
                "RELAYMESH_SERVER_HOST", "127.0.0.1");
    }

    /**
     * The keys a jar started with {@link #unkeyedEnv} generated, read from its start-up banner
     * ({@code export RELAYMESH_AUTH_…=…}), by variable name. Waits for the banner.
     */
    Map<String, String> generatedKeys() {
        java.util.regex.Pattern export = java.util.regex.Pattern.compile("^\\s*export (RELAYMESH_AUTH_[A-Z_]+)=(\\S+)$",
                java.util.regex.Pattern.MULTILINE);
        GatewayHarness.eventually(Duration.ofSeconds(20), "the banner with the generated keys:\n" + output(),
                () -> export.matcher(output()).results().count() >= 4);
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        export.matcher(output()).results().forEach(m -> keys.put(m.group(1), m.group(2)));
        return keys;
    }

    /** Ports handed out by {@link #freePort} in this JVM: none is handed out twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now and not handed out before in this JVM. The kernel may give the same free
     * port to two binds in a row, and a test asking for two ports (a jar's HTTP and rooms
     * listeners, say) would then start a jar that refuses its own configuration.
     */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free port that was not handed out already, in 100 attempts");
    }

    /** Waits until /health answers 200. */
    JarProcess awaitUp() {
        try {
            GatewayHarness.eventually(Duration.ofSeconds(45), "server up on " + port + ":\n" + output(),
                    () -> health() == 200 || !process.isAlive());
            assertTrue(process.isAlive(), "process exited:\n" + output());
        } catch (AssertionError e) {
            // The caller never gets the process to close: stop it here rather than leave it running.
            process.destroyForcibly();
            throw e;
        }
        return this;
    }

    int health() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** Everything the process printed (standard output, then standard error when kept apart). */
    String output() {
        try {
            return Files.readString(log) + (errorLog == null ? "" : Files.readString(errorLog));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Sends SIGHUP (reload the configuration). */
    void hangUp() throws IOException, InterruptedException {
        assertTrue(new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor() == 0,
                "kill -HUP failed");
    }

    /** The body of GET {@code path}. */
    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                "process still running after " + timeout + ":\n" + tail(30));
        return process.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        Files.deleteIfExists(log);
        if (errorLog != null) {
            Files.deleteIfExists(errorLog);
        }
    }
}
