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
                "server CPU (cores)", "Redis+NATS CPU", "clients+publisher CPU");
        for (PhaseResult r : results) {
            table.row(r.scenario(), r.step(), r.system(), r.servers(), n(r.clients()), n(r.expected()),
                    n(r.stats().distinct), n(r.missing()), n(r.stats().duplicates), n(r.deliveredFps()), ms(r.p(50)),
                    ms(r.p(95)), ms(r.p(99)), ms(r.stats().latency.maxMicros() / 1000),
                    String.format(Locale.ROOT, "%.2f", r.serverCores()), String.format(Locale.ROOT, "%.2f", r.brokerCores()),
                    String.format(Locale.ROOT, "%.2f", r.clientCores()));
        }
        return table.render();
    }

    /** Relaymesh / Socket.IO for each (scenario, step) both ran. */
    public static String ratios(List<PhaseResult> results) {
        Table table = new Table("scenario", "step", "frames/s Relaymesh/Socket.IO", "p50 Relaymesh/Socket.IO",
                "p99 Relaymesh/Socket.IO", "server CPU Relaymesh/Socket.IO");
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
                    ratio(r.p(99), s.p(99)), ratio(r.serverCores(), s.serverCores()));
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
}
