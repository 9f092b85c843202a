package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Deadline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connection churn on Relaymesh in cluster mode: W workers each connect a user, wait for ready
 * (token, session lock and route in Redis), disconnect and start again, for S seconds. Reports
 * cycles per second (each one connect and one disconnect), connect-to-ready and ready-to-closed
 * latency, failures, and what is left in Redis afterwards (session locks and route members must
 * all be gone once every client closed).
 */
public final class ChurnScenario {
    public record Result(long cycles, long failures, double seconds, Histogram connect, Histogram close,
                         long sessionKeysLeft, long routeKeysLeft, ObjectNode counters) {
        public double cyclesPerSecond() {
            return seconds == 0 ? 0 : cycles / seconds;
        }
    }

    private ChurnScenario() {
    }

    public static Result run(RunContext context, int pods, int workers, int seconds, ObjectNode json) {
        context.progress().line("churn: starting %d pod(s)", pods);
        try (RelaymeshSystem system = RelaymeshSystem.start(pods, context.podSetup(), context.children());
             ClientFleet fleet = context.clients("churn", 1)) {
            ObjectNode command = system.connectCommand().put("company", "churn").put("workers", workers)
                    .put("seconds", seconds).put("maxCyclesPerWorker", 100_000).put("usersPerWorker", 20)
                    .put("holdMs", 0);
            List<String> agents = new ArrayList<>();
            for (int a = 0; a < 10; a++) {
                agents.add("a" + a);
            }
            agents.forEach(command.putArray("agents")::add);
            if (context.warmupSeconds() > 0) {
                fleet.churn(command.deepCopy().put("seconds", context.warmupSeconds()).put("company", "churnwarm"),
                        Duration.ofSeconds(context.warmupSeconds() + 60L));
            }
            Object before = system.countersSnapshot();
            context.progress().line("churn: %d workers connecting and disconnecting for %d s", workers, seconds);
            JsonNode answer = fleet.churn(command, Duration.ofSeconds(seconds + 60L)).getFirst();
            ObjectNode counters = ClientFleet.json();
            system.countersDelta(before, system.countersSnapshot(), counters);
            Deadline.after(Duration.ofSeconds(2)).sleep(2_000);
            long sessions = countKeys(context, "session:churn:*");
            long routes = countKeys(context, "route:agent:churn:*");
            Result result = new Result(answer.path("cycles").asLong(), answer.path("failures").asLong(),
                    answer.path("seconds").asDouble(), Histogram.fromJson(answer.path("connectUs")),
                    Histogram.fromJson(answer.path("closeUs")), sessions, routes, counters);
            json.put("pods", pods).put("workers", workers).put("seconds", seconds).put("cycles", result.cycles())
                    .put("failures", result.failures()).put("cycles_per_second", result.cyclesPerSecond())
                    .put("session_keys_left", sessions).put("route_keys_left", routes);
            json.set("errors", answer.path("errors"));
            result.connect().summarize(json.putObject("connect_to_ready"));
            result.close().summarize(json.putObject("close_to_closed"));
            json.set("server_counters", counters);
            context.progress().line("churn: %,d cycles in %.1f s (%.0f connects + disconnects/s), %d failures %s; "
                            + "connect-to-ready p50 %.1f ms p99 %.1f ms; left in Redis: %d session keys, %d route keys",
                    result.cycles(), result.seconds(), result.cyclesPerSecond(), result.failures(), answer.path("errors"),
                    result.connect().millis(50), result.connect().millis(99), sessions, routes);
            return result;
        }
    }

    /** Keys matching {@code pattern} in the run's Redis (redis-cli --scan; killed if it takes over 30 s). */
    private static long countKeys(RunContext context, String pattern) {
        Process process = null;
        try {
            process = new ProcessBuilder("redis-cli", "-p", Integer.toString(context.servers().redisPort()), "--scan",
                    "--pattern", pattern).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                return -1;
            }
            return out.lines().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
