package io.relaymesh.bench.load;

import io.relaymesh.bench.support.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown tables of a LoadBench run, built from its results. */
public final class Report {
    private Report() {
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }

    static String n(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    public static String delivery(List<PhaseResult> results) {
        Table table = new Table("scenario", "step", "system", "servers", "clients", "expected frames",
                "received (distinct)", "missing", "dup", "frames/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
                "server CPU (cores)", "server CPU-s per 100k frames", "Redis+NATS CPU", "clients+publisher CPU");
        for (PhaseResult r : results) {
            table.row(r.scenario(), r.step(), r.system(), r.servers(), n(r.clients()), n(r.expected()),
                    n(r.stats().distinct), n(r.missing()), n(r.stats().duplicates), n(r.deliveredFps()), ms(r.p(50)),
                    ms(r.p(95)), ms(r.p(99)), ms(r.stats().latency.maxMicros() / 1000),
                    String.format(Locale.ROOT, "%.2f", r.serverCores()), cpu(r.serverCpuPer100kFrames()),
                    String.format(Locale.ROOT, "%.2f", r.brokerCores()),
                    String.format(Locale.ROOT, "%.2f", r.clientCores()) + clientNote(r));
        }
        return table.render();
    }

    static String cpu(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Marks a step whose client processes used most of a core each: it measured the clients as much as the server. */
    static String clientNote(PhaseResult r) {
        return r.clientsSaturated() ? " (clients saturated)" : "";
    }

    /**
     * The cold window and the warm-up of each scenario and system, apart from the measured steps: the
     * cold window is the first events on freshly started servers, published as soon as the clients were up.
     */
    public static String coldAndWarmup(List<FanoutScenario.Outcome> outcomes) {
        Table table = new Table("scenario", "phase", "system", "first event after the servers were ready",
                "expected frames", "received (distinct)", "missing", "dup", "p50 ms", "p99 ms", "max ms",
                "server CPU (cores)", "server CPU-s per 100k frames");
        for (FanoutScenario.Outcome o : outcomes) {
            for (PhaseResult r : java.util.Arrays.asList(o.cold(), o.warmup())) {
                if (r == null) {
                    continue;
                }
                table.row(r.scenario(), r.step(), r.system(), r == o.cold()
                                ? String.format(Locale.ROOT, "%.1f s", o.coldStartAfterReadySeconds()) : "-",
                        n(r.expected()), n(r.stats().distinct), n(r.missing()), n(r.stats().duplicates), ms(r.p(50)),
                        ms(r.p(99)), ms(r.stats().latency.maxMicros() / 1000),
                        String.format(Locale.ROOT, "%.2f", r.serverCores()), cpu(r.serverCpuPer100kFrames()));
            }
        }
        return table.render();
    }

    /** The cold window's latency by slice of send time, one column per system. */
    public static String coldSlices(String scenario, List<FanoutScenario.Outcome> outcomes) {
        List<FanoutScenario.Outcome> cold = outcomes.stream()
                .filter(o -> o.scenario().equals(scenario) && o.cold() != null && o.cold().sliceMs() > 0).toList();
        if (cold.isEmpty()) {
            return "";
        }
        List<String> headers = new ArrayList<>(List.of("events sent at (ms into the cold window)"));
        cold.forEach(o -> headers.add(o.system() + " frames / p50 / p99 / max ms"));
        Table table = new Table(headers.toArray(String[]::new));
        int slices = cold.stream().mapToInt(o -> o.cold().stats().slices.size()).max().orElse(0);
        int sliceMs = cold.getFirst().cold().sliceMs();
        for (int i = 0; i < slices; i++) {
            List<Object> row = new ArrayList<>(List.of((i * sliceMs) + "-" + ((i + 1) * sliceMs)));
            for (FanoutScenario.Outcome o : cold) {
                List<Histogram> h = o.cold().stats().slices;
                row.add(i < h.size() && !h.get(i).isEmpty() ? n(h.get(i).total()) + " / " + ms(h.get(i).millis(50))
                        + " / " + ms(h.get(i).millis(99)) + " / " + ms(h.get(i).maxMicros() / 1000) : "-");
            }
            table.row(row.toArray());
        }
        return table.render();
    }

    /** The server processes' CPU by thread name (kernel names, digits as N), both servers together, per phase. */
    public static String threadCpu(List<FanoutScenario.Outcome> outcomes, int top) {
        Table table = new Table("scenario", "phase", "system", "server CPU (cores)", "by thread (cores, top " + top + ")");
        for (FanoutScenario.Outcome o : outcomes) {
            List<PhaseResult> phases = new ArrayList<>();
            if (o.cold() != null) {
                phases.add(o.cold());
            }
            phases.addAll(o.steps());
            for (PhaseResult r : phases) {
                StringBuilder threads = new StringBuilder();
                r.serverThreadCores().entrySet().stream().limit(top).forEach(e -> threads
                        .append(threads.isEmpty() ? "" : ", ").append(e.getKey().replace("|", "/")).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue())));
                table.row(r.scenario(), r.step(), r.system(), String.format(Locale.ROOT, "%.2f", r.serverCores()),
                        threads.isEmpty() ? "-" : threads.toString());
            }
        }
        return table.render();
    }

    /** Each recording's summary under a heading. */
    public static String profiles(List<FanoutScenario.Outcome> outcomes, int rows) {
        StringBuilder out = new StringBuilder();
        for (FanoutScenario.Outcome o : outcomes) {
            for (FanoutScenario.Profile p : o.profiles()) {
                out.append("#### ").append(p.scenario()).append(' ').append(p.what()).append(": pod-a (")
                        .append(p.file().getFileName()).append(")\n\n");
                out.append(p.summary().has("error") ? "could not be read: " + p.summary().path("error").asText() + "\n"
                        : io.relaymesh.bench.support.JfrSummary.markdown(p.summary(), rows)).append('\n');
            }
        }
        return out.toString();
    }

    /** The classes whose heap grew most per idle connection. */
    public static String heapByClass(IdleScenario.Result r, int rows) {
        Table table = new Table("class", "instances per connection", "bytes per connection");
        r.heapByClass().stream().limit(rows).forEach(c -> table.row(c.name().replace("|", "/"),
                String.format(Locale.ROOT, "%.2f", c.instancesPerConnection()),
                String.format(Locale.ROOT, "%,.0f", c.bytesPerConnection())));
        return table.render();
    }

    /** Relaymesh / Socket.IO for each (scenario, step) both ran. */
    public static String ratios(List<PhaseResult> results) {
        Table table = new Table("scenario", "step", "frames/s Relaymesh/Socket.IO", "p50 Relaymesh/Socket.IO",
                "p99 Relaymesh/Socket.IO", "server CPU Relaymesh/Socket.IO", "server CPU per frame Relaymesh/Socket.IO");
        for (PhaseResult r : results) {
            if (!r.system().equals("relaymesh")) {
                continue;
            }
            PhaseResult s = results.stream().filter(o -> o.system().equals("socketio")
                    && o.scenario().equals(r.scenario()) && o.step().equals(r.step())).findFirst().orElse(null);
            if (s == null) {
                continue;
            }
            table.row(r.scenario(), r.step(), ratio(r.deliveredFps(), s.deliveredFps()), ratio(r.p(50), s.p(50)),
                    ratio(r.p(99), s.p(99)), ratio(r.serverCores(), s.serverCores()),
                    ratio(r.serverCpuPer100kFrames(), s.serverCpuPer100kFrames()));
        }
        return table.render();
    }

    /** The highest delivered frames/s of a broadcast step within the p99 limit and the missing limit, per system. */
    public static String broadcastCeiling(List<PhaseResult> results, double p99LimitMs) {
        Table table = new Table("system", "highest frames/s with p99 ≤ " + ms(p99LimitMs) + " ms and ≤ 1 % missing",
                "at step", "p99 ms there", "first step past the limit");
        List<String> systems = results.stream().map(PhaseResult::system).distinct().toList();
        List<Double> best = new ArrayList<>();
        for (String system : systems) {
            PhaseResult top = null;
            PhaseResult over = null;
            for (PhaseResult r : results) {
                if (!r.system().equals(system) || !r.scenario().equals("broadcast")) {
                    continue;
                }
                boolean ok = r.p(99) <= p99LimitMs && r.missing() <= FanoutScenario.MISSING_LIMIT * r.expected();
                if (ok && (top == null || r.deliveredFps() > top.deliveredFps())) {
                    top = r;
                }
                if (!ok && over == null) {
                    over = r;
                }
            }
            best.add(top == null ? Double.NaN : top.deliveredFps());
            table.row(system, top == null ? "none" : n(top.deliveredFps()), top == null ? "-" : top.step(),
                    top == null ? "-" : ms(top.p(99)), over == null ? "none (not saturated)"
                            : over.step() + String.format(Locale.ROOT, ": p99 %s ms, %s missing", ms(over.p(99)),
                            n(over.missing())));
        }
        int rm = systems.indexOf("relaymesh");
        int sio = systems.indexOf("socketio");
        String out = table.render();
        if (rm >= 0 && sio >= 0) {
            out += "\nRelaymesh/Socket.IO at the limit: " + ratio(best.get(rm), best.get(sio)) + "\n";
        }
        return out;
    }

    public static String crosspod(List<PhaseResult> results) {
        Table table = new Table("system", "step", "e2e p50 ms", "e2e p99 ms", "clients on server 0 p50 / p99 ms",
                "clients on server 1 p50 / p99 ms", "forward gap p50 / p99 ms (clients)",
                "gRPC Deliver calls", "calls ≤1 / ≤5 / ≤10 ms (pods)", "call mean ms (pods)");
        for (PhaseResult r : results) {
            if (!r.scenario().equals("crosspod")) {
                continue;
            }
            String calls = "-";
            String buckets = "-";
            String mean = "-";
            if (r.counters() != null) {
                double[] f = RelaymeshSystem.forwardCalls(r.counters());
                calls = n(f[0]);
                if (f[0] > 0) {
                    buckets = String.format(Locale.ROOT, "%.0f %% / %.0f %% / %.0f %%", 100 * f[2] / f[0],
                            100 * f[3] / f[0], 100 * f[4] / f[0]);
                    mean = ms(f[1] / f[0]);
                }
            }
            table.row(r.system(), r.step(), ms(r.p(50)), ms(r.p(99)), server(r, 0), server(r, 1),
                    ms(r.stats().forwardGap.millis(50)) + " / " + ms(r.stats().forwardGap.millis(99)), calls, buckets,
                    mean);
        }
        return table.render();
    }

    private static String server(PhaseResult r, int index) {
        if (r.stats().byServer.size() <= index) {
            return "-";
        }
        Histogram h = r.stats().byServer.get(index).latency;
        return ms(h.millis(50)) + " / " + ms(h.millis(99));
    }

    public static String idle(IdleScenario.Result r) {
        Table table = new Table("connections (asked / open)", "pod cap", "pod RSS before → after (kB)",
                "RSS per connection", "heap used after GC before → after (kB)", "heap per connection",
                "kernel slab per connection (both ends)");
        table.row(n(r.requested()) + " / " + n(r.connected()), n(r.cap()), n(r.baselineRssKb()) + " → " + n(r.rssKb()),
                String.format(Locale.ROOT, "%.1f KB", r.rssPerConnectionKb()),
                n(r.baselineHeapKb()) + " → " + n(r.heapKb()),
                String.format(Locale.ROOT, "%.1f KB", r.heapPerConnectionKb()),
                String.format(Locale.ROOT, "%.1f KB", r.slabPerConnectionKb()));
        return table.render();
    }

    /** What 100,000 connections on one pod would need, from the per-connection numbers measured. */
    public static String model(IdleScenario.Result r, int target) {
        Table table = new Table("for " + n(target) + " connections on one pod", "estimate", "how");
        double heapMb = (r.baselineHeapKb() + target * r.heapPerConnectionKb()) / 1024;
        double rssMb = (r.baselineRssKb() + target * r.rssPerConnectionKb()) / 1024;
        // The pod derives its cap from its open-file limit: scale the limit by the cap measured at it.
        double limit = parseOr(r.podFileLimit(), Double.NaN);
        long files = r.cap() > 0 && !Double.isNaN(limit) ? (long) Math.ceil(target * limit / r.cap()) : -1;
        double slabMb = target * r.slabPerConnectionKb() / 2 / 1024;
        table.row("live heap", n(heapMb) + " MB", "baseline heap after GC + N × heap per connection");
        table.row("-Xmx", n(Math.ceil(heapMb * 2 / 256) * 256) + " MB", "2 × live heap (G1 headroom)");
        table.row("process RSS", n(rssMb) + " MB", "baseline RSS + N × RSS per connection (at the measured heap headroom)");
        table.row("open files (ulimit -n)", files < 0 ? "-" : n(files), "N × limit / cap: this pod's cap was "
                + n(r.cap()) + " at `ulimit -n` " + r.podFileLimit());
        table.row("kernel memory", n(slabMb) + " MB", "half the slab growth per loopback connection (one end)");
        return table.render();
    }

    public static String churn(ChurnScenario.Result r, int pods, int workers) {
        Table table = new Table("pods", "workers", "cycles (connect + disconnect)", "per second", "failures",
                "connect-to-ready p50 / p99 / max ms", "close p50 / p99 ms", "left in Redis (session / route keys)");
        table.row(pods, workers, n(r.cycles()), n(r.cyclesPerSecond()), n(r.failures()),
                ms(r.connect().millis(50)) + " / " + ms(r.connect().millis(99)) + " / "
                        + ms(r.connect().maxMicros() / 1000),
                ms(r.close().millis(50)) + " / " + ms(r.close().millis(99)),
                r.sessionKeysLeft() + " / " + r.routeKeysLeft());
        return table.render();
    }

    private static double parseOr(String text, double otherwise) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * The numbers issue 12's closing note asks for, Relaymesh and Socket.IO of this one run side by
     * side, each with the issue's target and the number the issue started from. "chat" is the crosspod
     * scenario (two servers, each agent's clients split over both), "broadcast" the broadcast scenario
     * (run it with two servers).
     */
    public static String issue12(List<FanoutScenario.Outcome> outcomes, IdleScenario.Result idle, double p99LimitMs) {
        Table table = new Table("number", "Relaymesh", "Socket.IO", "Relaymesh / Socket.IO", "target (issue 12)", "met",
                "issue 12 started from");
        FanoutScenario.Outcome chatRm = find(outcomes, "crosspod", "relaymesh");
        FanoutScenario.Outcome chatSio = find(outcomes, "crosspod", "socketio");
        if (chatRm != null || chatSio != null) {
            PhaseResult rm = chatRm == null || chatRm.steps().isEmpty() ? null : chatRm.steps().getFirst();
            PhaseResult sio = chatSio == null || chatSio.steps().isEmpty() ? null : chatSio.steps().getFirst();
            PhaseResult any = rm != null ? rm : sio;
            String what = any == null ? "chat across pods" : String.format(Locale.ROOT,
                    "chat across %d pods (%s clients, %d agents, half of each agent's clients on each server, "
                            + "%.0f ev/s), measured %.0f s: p50 / p99 ms", any.servers(), n(any.clients()),
                    any.agents(), any.rate(), any.published().path("sendSeconds").asDouble());
            table.row(what, p50p99(rm), p50p99(sio), rm == null || sio == null ? "-" : "p99 " + ratio(rm.p(99), sio.p(99)),
                    "p99 ≤ Socket.IO's (aim p50 < 1 ms, p99 < 2 ms)",
                    rm == null || sio == null ? "-" : yes(rm.p(99) <= sio.p(99)), "4.6 / 89 ms against 0.37 / 4.6 ms");
            table.row("chat: frames received of expected (missing, duplicates)", received(rm), received(sio), "-",
                    "none missing", rm == null ? "-" : yes(rm.missing() == 0), "-");
            table.row("chat warm-up, reported apart: p50 / p99 ms", p50p99(warm(chatRm)), p50p99(warm(chatSio)), "-",
                    "-", "-", "-");
            table.row("chat cold window, first events on fresh servers: p50 / p99 / max ms (first event after ready)",
                    cold(chatRm), cold(chatSio), "-", "reported", "-", "p99 760-840 ms (Relaymesh)");
            table.row("chat: server CPU, cores at this rate (both servers)", cores(rm), cores(sio),
                    rm == null || sio == null ? "-" : ratio(rm.serverCores(), sio.serverCores()), "-", "-",
                    "1.32 against 0.25 cores at 10,000 frames/s");
            table.row("chat: server CPU-seconds per 100,000 delivered frames", cpu(perFrame(rm)), cpu(perFrame(sio)),
                    rm == null || sio == null ? "-" : ratio(perFrame(rm), perFrame(sio)), "-", "-",
                    "13.2 against 2.5");
        }
        FanoutScenario.Outcome bRm = find(outcomes, "broadcast", "relaymesh");
        FanoutScenario.Outcome bSio = find(outcomes, "broadcast", "socketio");
        if (bRm != null || bSio != null) {
            List<String> steps = new ArrayList<>();
            for (FanoutScenario.Outcome o : java.util.Arrays.asList(bRm, bSio)) {
                if (o != null) {
                    o.steps().forEach(r -> {
                        if (!steps.contains(r.step())) {
                            steps.add(r.step());
                        }
                    });
                }
            }
            for (String step : steps) {
                PhaseResult rm = step(bRm, step);
                PhaseResult sio = step(bSio, step);
                PhaseResult any = rm != null ? rm : sio;
                boolean high = any.rate() * any.clients() >= 150_000;
                String what = String.format(Locale.ROOT, "broadcast, %d server(s), %s clients on one agent, %s "
                        + "(%s frames/s offered): delivered frames/s, p50 / p99 ms", any.servers(), n(any.clients()), step,
                        n(any.rate() * any.clients()));
                String target = high ? "≥ 150,000 frames/s at p99 ≤ " + ms(p99LimitMs) + " ms" : "p99 ≤ Socket.IO's";
                String met = high ? (rm == null ? "-" : yes(rm.deliveredFps() >= 0.995 * 150_000 && rm.p(99) <= p99LimitMs
                        && rm.missing() <= FanoutScenario.MISSING_LIMIT * rm.expected()))
                        : rm == null || sio == null ? "-" : yes(rm.p(99) <= sio.p(99));
                table.row(what, fps(rm), fps(sio), rm == null || sio == null ? "-" : "p99 " + ratio(rm.p(99), sio.p(99)),
                        target, met, any.rate() == 50 ? "p99 37.8 ms against 20.9 ms" : "-");
                table.row("broadcast " + step + ": frames received of expected (missing, duplicates)", received(rm),
                        received(sio), "-", "none missing", rm == null ? "-" : yes(rm.missing() == 0), "-");
                table.row("broadcast " + step + ": server CPU-seconds per 100,000 delivered frames (cores)",
                        cpu(perFrame(rm)) + (rm == null ? "" : " (" + cpu(rm.serverCores()) + ")"),
                        cpu(perFrame(sio)) + (sio == null ? "" : " (" + cpu(sio.serverCores()) + ")"),
                        rm == null || sio == null ? "-" : ratio(perFrame(rm), perFrame(sio)), "-", "-", "-");
            }
            table.row("broadcast warm-up, reported apart: p50 / p99 ms", p50p99(warm(bRm)), p50p99(warm(bSio)), "-",
                    "-", "-", "-");
            table.row("broadcast cold window: p50 / p99 / max ms (first event after ready)", cold(bRm), cold(bSio), "-",
                    "reported", "-", "-");
        }
        if (idle != null) {
            table.row(String.format(Locale.ROOT, "idle: memory per connection at %s connections on one pod "
                            + "(%s held): RSS / live heap after a full GC", n(idle.requested()), n(idle.connected())),
                    String.format(Locale.ROOT, "%.1f / %.1f KB", idle.rssPerConnectionKb(), idle.heapPerConnectionKb()),
                    "not measured", "-", "no more than before; aim ≤ 15 KB RSS",
                    "≤ 20.3 / 18.3 KB: " + yes(idle.rssPerConnectionKb() <= 20.3 && idle.heapPerConnectionKb() <= 18.3)
                            + "; ≤ 15 KB RSS: " + yes(idle.rssPerConnectionKb() <= 15), "20.3 / 18.3 KB");
        }
        return table.render();
    }

    private static FanoutScenario.Outcome find(List<FanoutScenario.Outcome> outcomes, String scenario, String system) {
        return outcomes.stream().filter(o -> o.scenario().equals(scenario) && o.system().equals(system)).findFirst()
                .orElse(null);
    }

    private static PhaseResult step(FanoutScenario.Outcome o, String step) {
        return o == null ? null : o.steps().stream().filter(r -> r.step().equals(step)).findFirst().orElse(null);
    }

    private static PhaseResult warm(FanoutScenario.Outcome o) {
        return o == null ? null : o.warmup();
    }

    private static String p50p99(PhaseResult r) {
        return r == null ? "not run" : ms(r.p(50)) + " / " + ms(r.p(99)) + (r.clientsSaturated() ? " (clients saturated)" : "");
    }

    private static String fps(PhaseResult r) {
        return r == null ? "not run" : n(r.deliveredFps()) + ", " + p50p99(r);
    }

    private static String received(PhaseResult r) {
        return r == null ? "not run" : n(r.stats().distinct) + " of " + n(r.expected()) + " (" + n(r.missing()) + ", "
                + n(r.stats().duplicates) + ")";
    }

    private static String cold(FanoutScenario.Outcome o) {
        if (o == null || o.cold() == null) {
            return "not run";
        }
        PhaseResult r = o.cold();
        return ms(r.p(50)) + " / " + ms(r.p(99)) + " / " + ms(r.stats().latency.maxMicros() / 1000)
                + String.format(Locale.ROOT, " (%.1f s)", o.coldStartAfterReadySeconds())
                + (r.missing() > 0 ? ", " + n(r.missing()) + " missing" : "");
    }

    private static String cores(PhaseResult r) {
        return r == null ? "not run" : cpu(r.serverCores()) + " at " + n(r.deliveredFps()) + " frames/s";
    }

    private static double perFrame(PhaseResult r) {
        return r == null ? Double.NaN : r.serverCpuPer100kFrames();
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    /**
     * The numbers of {@link #issue12} as JSON: for chat (crosspod) and broadcast, per system, the
     * measured steps, the warm-up and the cold window; idle memory per connection; the recordings.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode issue12Json(List<FanoutScenario.Outcome> outcomes,
                                                                            IdleScenario.Result idle) {
        var out = ClientFleet.json();
        for (FanoutScenario.Outcome o : outcomes) {
            if (!o.scenario().equals("crosspod") && !o.scenario().equals("broadcast")) {
                continue;
            }
            String key = o.scenario().equals("crosspod") ? "chat_across_pods" : "broadcast";
            var scenario = out.has(key) ? (com.fasterxml.jackson.databind.node.ObjectNode) out.get(key) : out.putObject(key);
            var system = scenario.putObject(o.system());
            var steps = system.putObject("steps");
            o.steps().forEach(r -> phaseJson(r, steps.putObject(r.step())));
            if (o.warmup() != null) {
                phaseJson(o.warmup(), system.putObject("warmup"));
            }
            if (o.cold() != null) {
                phaseJson(o.cold(), system.putObject("cold")).put("first_publish_after_ready_seconds",
                        o.coldStartAfterReadySeconds());
            }
            var files = system.putArray("jfr_recordings_of_pod_a");
            o.profiles().forEach(p -> files.addObject().put("what", p.what()).put("file", p.file().toString()));
        }
        if (idle != null) {
            out.putObject("idle").put("connections_asked", idle.requested()).put("connections_held", idle.connected())
                    .put("rss_per_connection_kb", idle.rssPerConnectionKb())
                    .put("heap_per_connection_kb", idle.heapPerConnectionKb());
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode phaseJson(PhaseResult r,
                                                                           com.fasterxml.jackson.databind.node.ObjectNode into) {
        into.put("servers", r.servers()).put("clients", r.clients()).put("events_per_second", r.rate())
                .put("expected_frames", r.expected()).put("distinct_frames", r.stats().distinct)
                .put("missing", r.missing()).put("duplicates", r.stats().duplicates)
                .put("delivered_frames_per_second", Math.round(r.deliveredFps()))
                .put("offered_frames_per_second", Math.round(r.offeredFps()))
                .put("p50_ms", r.p(50)).put("p99_ms", r.p(99)).put("max_ms", r.stats().latency.maxMicros() / 1000)
                .put("server_cpu_cores", r.serverCores())
                .put("server_cpu_seconds_per_100k_frames", r.serverCpuPer100kFrames())
                .put("clients_saturated", r.clientsSaturated());
        return into;
    }
}
