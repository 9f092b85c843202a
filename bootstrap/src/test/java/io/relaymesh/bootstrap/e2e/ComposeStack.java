package io.relaymesh.bootstrap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The stack of {@code make up}, driven the way a user drives it: {@code make} and {@code docker
 * compose} commands in the repository root. It runs as its own compose project on its own port,
 * with its own env file and config file in a temporary folder, so a stack the user started with
 * {@code make up} is left alone. Not thread-safe: one test class drives it.
 */
final class ComposeStack {
    /** Surefire and Failsafe run in the bootstrap module; the repository root is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent().normalize();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

    final String project;
    final int publicPort;
    final Path envFile;
    final Path configFile;
    private final Map<String, String> environment = new HashMap<>();

    ComposeStack(Path folder, int publicPort) throws IOException {
        this.project = "relaymesh-e2e-" + ProcessHandle.current().pid();
        this.publicPort = publicPort;
        this.envFile = folder.resolve("relaymesh.env");
        this.configFile = folder.resolve("config.yaml");
        // The config file the replicas mount, a copy of the one the image ships, so the test can
        // edit it as an operator edits config/config.yaml.
        Files.copy(ROOT.resolve("config/config.yaml"), configFile);
        environment.put("COMPOSE_PROJECT_NAME", project);
        environment.put("PUBLIC_PORT", String.valueOf(publicPort));
        environment.put("RELAYMESH_CONFIG_FILE", configFile.toString());
        // A container cannot get more open files than dockerd's hard limit, which on a test host is
        // the one this process has too (20,000 on the machines this is built on): unless the
        // environment sets them, the stack asks for no more than that, as docs tell users to.
        long hard = hardOpenFileLimit();
        for (String variable : List.of("RELAYMESH_NOFILE", "LB_NOFILE")) {
            if (System.getenv(variable) == null && hard > 0 && hard < 65_536) {
                environment.put(variable, String.valueOf(hard));
            }
        }
    }

    /** This process's hard open-file limit ({@code ulimit -Hn}), or -1 when unknown or unlimited. */
    private static long hardOpenFileLimit() {
        Result result = runQuietly(List.of("bash", "-c", "ulimit -Hn"), Duration.ofSeconds(10));
        try {
            return result == null || result.exitCode() != 0 ? -1 : Long.parseLong(result.output().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether a Docker engine with Compose v2 answers; the reason when not, else null. Compose v1
     * ({@code docker-compose}) and a client without an engine both count as not.
     */
    static String whyNoEngine() {
        Result info = runQuietly(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Duration.ofSeconds(30));
        if (info == null) {
            return "the docker client is not installed";
        }
        if (info.exitCode() != 0) {
            return "no Docker engine answers 'docker info': " + info.output().strip();
        }
        Result compose = runQuietly(List.of("docker", "compose", "version", "--short"), Duration.ofSeconds(30));
        if (compose == null || compose.exitCode() != 0 || !compose.output().strip().matches("v?2\\..*")) {
            return "Docker Compose v2 ('docker compose') is missing: "
                    + (compose == null ? "no docker client" : compose.output().strip());
        }
        return null;
    }

    /** {@code make <target> ENV_FILE=<this stack's file> <arguments>}, which must succeed. */
    Result make(String target, String... arguments) {
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", target, "ENV_FILE=" + envFile));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** {@code docker compose -f deploy/docker-compose.yml --env-file <file> <arguments>}, which must succeed. */
    Result compose(String... arguments) {
        return run(composeCommand(arguments));
    }

    /** {@code docker <arguments>}, which must succeed. */
    Result docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** Removes the stack with its volumes whatever state it is in; never throws. */
    void removeQuietly() {
        List<String> command = composeCommand("down", "--volumes", "--remove-orphans", "--timeout", "5");
        Result result = runQuietly(command, environment, COMMAND_TIMEOUT);
        if (result == null || result.exitCode() != 0) {
            System.err.println("compose stack " + project + " may be left over: " + result);
        }
    }

    /** The containers of {@code service} that are running, by id. */
    List<String> running(String service) {
        return compose("ps", "--quiet", "--status", "running", service).output().lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** Every container of the project, running or not. */
    List<String> allContainers() {
        return docker("ps", "--all", "--quiet", "--filter", "label=com.docker.compose.project=" + project)
                .output().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** A value from {@code docker inspect --format}. */
    String inspect(String container, String format) {
        return docker("inspect", "--format", format, container).output().strip();
    }

    /** The value of {@code key} in the env file {@code make up} wrote. */
    String envValue(String key) throws IOException {
        for (String line : Files.readAllLines(envFile, StandardCharsets.UTF_8)) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError(envFile + " has no " + key);
    }

    private List<String> composeCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker", "compose", "-f", "deploy/docker-compose.yml",
                "--env-file", envFile.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private Result run(List<String> command) {
        Result result = runQuietly(command, environment, COMMAND_TIMEOUT);
        if (result == null) {
            fail(String.join(" ", command) + ": could not be started");
        }
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + tail(result.output()));
        }
        return result;
    }

    private static Result runQuietly(List<String> command, Duration timeout) {
        return runQuietly(command, Map.of(), timeout);
    }

    /** Runs {@code command} in the repository root; null if it cannot start. Output is stdout and stderr. */
    private static Result runQuietly(List<String> command, Map<String, String> extraEnvironment, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            builder.environment().putAll(extraEnvironment);
            Path output = Files.createTempFile("compose-stack", ".out");
            try {
                builder.redirectOutput(output.toFile());
                long start = System.nanoTime();
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(output),
                            Duration.ofNanos(System.nanoTime() - start));
                }
                return new Result(process.exitValue(), Files.readString(output), Duration.ofNanos(System.nanoTime() - start));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** A finished command: its exit code, its output and how long it took. */
    record Result(int exitCode, String output, Duration took) {
    }
}
