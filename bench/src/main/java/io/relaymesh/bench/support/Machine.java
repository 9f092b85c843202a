package io.relaymesh.bench.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the numbers were measured on: cores, memory, CPU model, JDK and server versions. */
public final class Machine {
    private Machine() {
    }

    public static void describe(ObjectNode into) {
        into.put("cpus", Runtime.getRuntime().availableProcessors());
        into.put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        into.put("mem_total", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        into.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        into.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        into.put("redis_server", version(List.of("redis-server", "--version")));
        into.put("nats_server", version(List.of("nats-server", "--version")));
        into.put("load_average_at_start", loadAverage());
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every number. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    /** Runs {@code command} (it exits by itself); killed by its PID if it does not within 5 s. */
    private static String version(List<String> command) {
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                return "unknown (" + command.getFirst() + " did not answer)";
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "not found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
