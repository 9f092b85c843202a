package io.relaymesh.bench.load;

import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.ProcStats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Relaymesh pod under test: the built jar run as its own process, as {@code make cluster} runs it
 * (config/config.yaml, cluster mode, settings by RELAYMESH_* variables) with the JVM options of the
 * container image (deploy/Dockerfile) unless told otherwise, on a free loopback HTTP port and gRPC
 * port. Reads its /metrics, its /proc numbers, and asks jcmd for a GC, the heap in use and flight
 * recordings. Thread-safe for reads; started and closed by the main thread.
 */
public final class GatewayPod implements AutoCloseable {
    /** Used when deploy/Dockerfile cannot be read: its ENTRYPOINT's options when this harness was written. */
    static final String FALLBACK_JVM_OPTIONS =
            "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED";
    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s*\\[(.*)]\\s*$");
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^,]*,\\s*committed\\s+(\\d+)K,\\s*used\\s+(\\d+)K");

    private final String id;
    private final int httpPort;
    private final Process process;
    private final ChildProcesses children;
    private final Path javaHome;
    private final Path log;
    private volatile long readyNanos;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayPod(String id, int httpPort, Process process, ChildProcesses children, Path javaHome, Path log) {
        this.id = id;
        this.httpPort = httpPort;
        this.process = process;
        this.children = children;
        this.javaHome = javaHome;
        this.log = log;
    }

    /** The settings of the pods of a run: what they share (keys, servers) and how they are started. */
    public record Setup(Path jar, Path config, Path javaHome, List<String> jvmOptions, BackingServers servers,
                        Keys keys, Path logDir, Map<String, String> extraEnv) {
    }

    /** The four auth keys every pod of a run shares (and the load clients use), and the pods' cluster secret. */
    public record Keys(String general, String admin, String userAes, String adminAes, String clusterSecret) {
        public static Keys random() {
            java.security.SecureRandom random = new java.security.SecureRandom();
            return new Keys("bench-general-" + hex(random, 12), "bench-admin-" + hex(random, 12),
                    hex(random, 32), hex(random, 32), hex(random, 32));
        }

        private static String hex(java.security.SecureRandom random, int bytes) {
            byte[] b = new byte[bytes];
            random.nextBytes(b);
            return java.util.HexFormat.of().formatHex(b);
        }
    }

    /**
     * The JVM options a user of the container image gets: the arguments of deploy/Dockerfile's
     * ENTRYPOINT between "java" and "-jar", read at run time so that the bench follows the image.
     */
    public static String imageJvmOptions(Path root) {
        try {
            Matcher m = ENTRYPOINT.matcher(java.nio.file.Files.readString(root.resolve("deploy/Dockerfile")));
            if (m.find()) {
                List<String> args = new ArrayList<>();
                Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
                while (quoted.find()) {
                    args.add(quoted.group(1));
                }
                int java = args.indexOf("java");
                int jar = args.indexOf("-jar");
                if (java >= 0 && jar > java) {
                    return String.join(" ", args.subList(java + 1, jar));
                }
            }
        } catch (IOException e) {
            // Fall back below.
        }
        return FALLBACK_JVM_OPTIONS;
    }

    public static GatewayPod start(String id, Setup setup, ChildProcesses children) {
        return start(id, setup, children, List.of());
    }

    /** As above, with JVM options for this pod only after the run's (e.g. a flight recording from its start). */
    public static GatewayPod start(String id, Setup setup, ChildProcesses children, List<String> extraJvmOptions) {
        int httpPort = BackingServers.freePort();
        int grpcPort = BackingServers.freePort();
        List<String> command = new ArrayList<>();
        command.add(setup.javaHome().resolve("bin/java").toString());
        command.addAll(setup.jvmOptions());
        command.addAll(extraJvmOptions);
        command.add("-jar");
        command.add(setup.jar().toString());
        Path log = setup.logDir().resolve(id + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("RELAYMESH_"));
        Map<String, String> env = builder.environment();
        env.put("RELAYMESH_CONFIG", setup.config().toString());
        env.put("RELAYMESH_SERVER_POD_ID", id);
        env.put("RELAYMESH_SERVER_HOST", "127.0.0.1");
        env.put("RELAYMESH_SERVER_HTTP_PORT", Integer.toString(httpPort));
        env.put("RELAYMESH_SERVER_GRPC_PORT", Integer.toString(grpcPort));
        env.put("RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS", "127.0.0.1:" + grpcPort);
        env.put("RELAYMESH_REDIS_ADDRESS", setup.servers().redisAddress());
        env.put("RELAYMESH_NATS_URL", setup.servers().natsUrl());
        env.put("RELAYMESH_AUTH_SECRET_TOKEN", setup.keys().general());
        env.put("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", setup.keys().admin());
        env.put("RELAYMESH_AUTH_TOKEN_AES_KEY", setup.keys().userAes());
        env.put("RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", setup.keys().adminAes());
        env.put("RELAYMESH_SERVER_CLUSTER_SECRET", setup.keys().clusterSecret());
        env.put("RELAYMESH_APP_LOG_FORMAT", "text");
        // The load generator is one address (loopback) by design: per-IP caps would refuse it.
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS_PER_IP", "0");
        env.put("RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND", "0");
        env.put("RELAYMESH_SERVER_REQUESTS_PER_IP_PER_SECOND", "0");
        env.putAll(setup.extraEnv());
        GatewayPod pod = new GatewayPod(id, httpPort, children.start(id, builder), children, setup.javaHome(), log);
        try {
            pod.awaitReady(Deadline.after(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            pod.close();
            throw e;
        }
        return pod;
    }

    private void awaitReady(Deadline deadline) {
        int status = -1;
        while (!deadline.passed()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(id + " exited with code " + process.exitValue() + "; see " + log);
            }
            status = get("/ready").statusCode();
            if (status == 200) {
                readyNanos = System.nanoTime();
                return;
            }
            deadline.sleep(200);
        }
        throw new IllegalStateException(id + " not ready within 60 s (last /ready status " + status + "); see " + log);
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FailedResponse(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FailedResponse(path);
        }
    }

    public String id() {
        return id;
    }

    public long pid() {
        return process.pid();
    }

    /** System.nanoTime() when /ready first answered 200 (polled every 200 ms). */
    public long readyNanos() {
        return readyNanos;
    }

    public String wsBase() {
        return "ws://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return log;
    }

    public Prometheus metrics() {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException(id + " /metrics answered " + response.statusCode());
        }
        return Prometheus.parse(response.body());
    }

    public long rssKb() {
        return ProcStats.rssKb(pid());
    }

    public double cpuSeconds() {
        return ProcStats.cpuSeconds(pid());
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Runs a full GC (jcmd GC.run) and returns the heap in use after it, in kB (GC.heap_info). */
    public long gcAndHeapUsedKb() {
        jcmd("GC.run");
        return heapUsedKb();
    }

    public long heapUsedKb() {
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    public void startRecording(Path file) {
        // The profile settings sample Java stacks every 10 ms; every 2 ms gives enough samples in a short run.
        jcmd("JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=2ms", "filename=" + file);
    }

    /** The JVM option that records this pod from its very start (stopped with {@link #stopRecording(String)}). */
    public static String recordFromStart(String name, Path file) {
        return "-XX:StartFlightRecording=name=" + name + ",settings=profile,jdk.ExecutionSample#period=2ms,filename="
                + file;
    }

    /** Stops the recording {@code name} and writes its file; the answer of jcmd. */
    public String stopRecording(String name) {
        return jcmd("JFR.stop", "name=" + name);
    }

    /**
     * The heap by class ({@code jcmd GC.class_histogram}, which runs a full GC first): class name →
     * {instances, bytes}. The module suffix is dropped from the names.
     */
    public Map<String, long[]> classHistogram() {
        Map<String, long[]> classes = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(jcmd("GC.class_histogram"));
        while (m.find()) {
            classes.merge(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
        }
        return classes;
    }

    /** Native memory by category (jcmd VM.native_memory summary), or "" when the pod runs without NMT. */
    public String nativeMemory() {
        String out = jcmd("VM.native_memory", "summary");
        return out.contains("Native Memory Tracking") && !out.contains("not enabled") ? out : "";
    }

    public void stopRecording() {
        jcmd("JFR.stop", "name=bench");
    }

    /** Runs {@code jcmd <pid> args} of the pods' JDK; killed if it takes over 60 s. */
    public String jcmd(String... args) {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/jcmd").toString(),
                Long.toString(pid())));
        command.addAll(List.of(args));
        Process jcmd = null;
        try {
            jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("jcmd " + String.join(" ", args) + " on " + id + " hung");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("jcmd failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running jcmd", e);
        } finally {
            if (jcmd != null && jcmd.isAlive()) {
                jcmd.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        children.stop(process);
    }

    /** Stands for an answer that never came (connection refused, timeout). */
    private record FailedResponse(String path) implements HttpResponse<String> {
        @Override public int statusCode() { return -1; }
        @Override public HttpRequest request() { return null; }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true); }
        @Override public String body() { return ""; }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        @Override public URI uri() { return URI.create("http://127.0.0.1" + path); }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
