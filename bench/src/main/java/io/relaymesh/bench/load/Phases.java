package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.ProcStats;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one measured phase: publishes at a rate for a while, waits until every expected frame arrived
 * (or no frame came for a second, or the drain time is over), then collects the clients' numbers,
 * the CPU the processes used and the servers' counters. Progress lines every two seconds.
 */
public final class Phases {
    private Phases() {
    }

    /** The load of a phase: targets round-robin and how many clients listen on each. */
    public record Load(List<String> targets, List<String> agents, Map<String, Integer> clientsByAgent) {
    }

    public static PhaseResult run(RunContext context, SystemUnderTest system, ClientFleet fleet, Publisher publisher,
                                  String scenario, String step, double rate, double seconds, Load load,
                                  int drainSeconds, int clients) {
        return run(context, system, fleet, publisher, scenario, step, rate, seconds, load, drainSeconds, clients, 0);
    }

    /** As above; with {@code sliceMs} > 0 the clients' latency is also split by slice of send time. */
    public static PhaseResult run(RunContext context, SystemUnderTest system, ClientFleet fleet, Publisher publisher,
                                  String scenario, String step, double rate, double seconds, Load load,
                                  int drainSeconds, int clients, int sliceMs) {
        int phase = context.nextPhase();
        Object countersBefore = system.countersSnapshot();
        Map<String, Double> threads0 = threadCpu(system.serverPids());
        double serverCpu0 = cpu(system.serverPids());
        double brokerCpu0 = cpu(context.servers().pids());
        double fleetCpu0 = fleet.cpuSeconds();
        double clientCpu0 = fleetCpu0 + Math.max(0, ProcStats.cpuSeconds(publisher.pid()));
        java.time.Instant startedAt = java.time.Instant.now();
        long wall0 = System.nanoTime();
        long frames0 = fleet.framesSoFar();
        Thread ticker = Thread.ofVirtual().start(() -> tick(context, fleet, scenario + "/" + system.name() + " " + step,
                Deadline.after(Duration.ofSeconds((long) seconds + drainSeconds + 30))));
        JsonNode published;
        try {
            published = publisher.publish(phase, rate, seconds, load.targets(), sliceMs);
        } finally {
            ticker.interrupt();
        }
        long expected = 0;
        JsonNode perTarget = published.path("perTarget");
        for (int t = 0; t < load.targets().size(); t++) {
            expected += perTarget.path(t).asLong() * load.clientsByAgent().getOrDefault(load.agents().get(t), 0);
        }
        awaitDrain(fleet, frames0 + expected, Deadline.after(Duration.ofSeconds(drainSeconds)));
        double wall = (System.nanoTime() - wall0) / 1e9;
        java.time.Instant endedAt = java.time.Instant.now();
        Map<String, Double> threads = threadCpu(system.serverPids());
        double serverCores = (cpu(system.serverPids()) - serverCpu0) / wall;
        double brokerCores = (cpu(context.servers().pids()) - brokerCpu0) / wall;
        double fleetCpu = fleet.cpuSeconds();
        double clientCores = (fleetCpu + Math.max(0, ProcStats.cpuSeconds(publisher.pid())) - clientCpu0) / wall;
        double fleetCores = (fleetCpu - fleetCpu0) / wall;
        ObjectNode counters = null;
        if (countersBefore != null) {
            counters = ClientFleet.json();
            system.countersDelta(countersBefore, system.countersSnapshot(), counters);
        }
        PhaseStats stats = PhaseStats.merge(fleet.stats(), phase);
        double window = (stats.lastNs - published.path("startNs").asDouble()) / 1e9;
        double fps = window > 0 ? stats.distinct / Math.max(window, seconds) : 0;
        Map<String, Double> threadCores = new java.util.LinkedHashMap<>();
        double live = 0;
        for (var e : threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
            double seconds0 = e.getValue() - threads0.getOrDefault(e.getKey(), 0.0);
            live += seconds0;
            if (seconds0 > 0) {
                threadCores.put(e.getKey(), seconds0 / wall);
            }
        }
        double ended = serverCores - live / wall;
        if (ended > 0.005) {
            threadCores.put("(threads that ended)", ended);
        }
        threadCores = sortByValue(threadCores);
        PhaseResult result = new PhaseResult(system.name(), scenario, step, system.servers().size(), clients,
                load.clientsByAgent().size(), rate, published, expected, stats, fps, wall, serverCores, brokerCores,
                clientCores, counters, threadCores, startedAt, endedAt, sliceMs, fleet.size(), fleetCores);
        if (counters != null && Math.round(counters.path("frames_sent").asDouble()) != stats.frames) {
            // Every frame a pod wrote should reach a client: a difference is a loss between them (or a late frame).
            context.progress().line("CHECK %s/%s %s: the pods wrote %,.0f event frames, the clients got %,d",
                    scenario, system.name(), step, counters.path("frames_sent").asDouble(), stats.frames);
        }
        context.progress().line("%s/%s %s: %,d of %,d frames (%,d missing, %,d duplicates), %,.0f frames/s, "
                        + "p50 %.2f ms, p99 %.2f ms, max %.1f ms; server CPU %.2f cores (%.2f core-s per 100k frames)",
                scenario, system.name(), step, stats.distinct, expected, result.missing(), stats.duplicates, fps,
                result.p(50), result.p(99), stats.latency.maxMicros() / 1000, serverCores,
                result.serverCpuPer100kFrames());
        return result;
    }

    /** CPU seconds by thread name, summed over the processes (threads of the same name on two pods add up). */
    private static Map<String, Double> threadCpu(List<Long> pids) {
        Map<String, Double> sum = new java.util.HashMap<>();
        for (long pid : pids) {
            ProcStats.threadCpuSeconds(pid).forEach((name, seconds) -> sum.merge(name, seconds, Double::sum));
        }
        return sum;
    }

    private static Map<String, Double> sortByValue(Map<String, Double> map) {
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        map.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static double cpu(List<Long> pids) {
        return pids.stream().mapToDouble(pid -> Math.max(0, ProcStats.cpuSeconds(pid))).sum();
    }

    private static void awaitDrain(ClientFleet fleet, long target, Deadline deadline) {
        long last = fleet.framesSoFar();
        long quietSince = System.nanoTime();
        while (!deadline.passed() && fleet.framesSoFar() < target) {
            deadline.sleep(100);
            long now = fleet.framesSoFar();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 2_500_000_000L) {
                return;
            }
        }
        // The ticks that tell framesSoFar come once a second: let the last second's frames be counted.
        deadline.sleep(1_100);
    }

    private static void tick(RunContext context, ClientFleet fleet, String label, Deadline deadline) {
        long lastFrames = fleet.framesSoFar();
        long lastNanos = System.nanoTime();
        while (!deadline.passed()) {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                return;
            }
            long frames = fleet.framesSoFar();
            long now = System.nanoTime();
            context.progress().line("%s: %,d clients up, %,.0f frames/s", label, fleet.upSoFar(),
                    (frames - lastFrames) / ((now - lastNanos) / 1e9));
            lastFrames = frames;
            lastNanos = now;
        }
    }
}
