package io.relaymesh.bench.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a flight recording of a pod says, reduced to what a closing note can cite: where the Java
 * threads ran (stack samples by top frame, by the first gateway frame on the stack, by thread), where
 * memory was allocated (allocation samples by site and class, weighted by the bytes they stand for),
 * which waits passed the recording's thresholds (monitor enter, pinned virtual threads, socket
 * writes), GC pauses, JIT compilations and the CPU load JFR saw. Read with {@code jdk.jfr.consumer},
 * optionally cut to a time window (the cold phase of a recording that began at the pod's start).
 */
public final class JfrSummary {
    /** Frames of the gateway itself: the first of them on a stack is "the gateway code" a sample is charged to. */
    private static final String GATEWAY = "io.relaymesh.";
    private static final int KEEP = 25;

    private JfrSummary() {
    }

    /** Summarises {@code file}, keeping only events that overlap [from, to] (either may be null). */
    public static ObjectNode summarize(Path file, Instant from, Instant to) throws IOException {
        Map<String, Long> topFrames = new HashMap<>();
        Map<String, Long> topPackages = new HashMap<>();
        Map<String, Long> gatewayFrames = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocationSites = new HashMap<>();
        Map<String, Long> allocationGateway = new HashMap<>();
        Map<String, Long> allocationClasses = new HashMap<>();
        Map<String, long[]> waits = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long gcCount = 0;
        long gcPauseNanos = 0;
        long gcLongestNanos = 0;
        long compilations = 0;
        long compileNanos = 0;
        long compileLongestNanos = 0;
        double jvmLoad = 0;
        double machineLoad = 0;
        long loads = 0;
        Instant first = null;
        Instant last = null;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if ((from != null && e.getEndTime().isBefore(from)) || (to != null && e.getStartTime().isAfter(to))) {
                    continue;
                }
                first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
                switch (e.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace stack = e.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        String thread = threadGroup(e.getThread("sampledThread"));
                        topFrames.merge(method(stack.getFrames().getFirst()), 1L, Long::sum);
                        topPackages.merge(packageOf(stack.getFrames().getFirst()), 1L, Long::sum);
                        gatewayFrames.merge(gatewayFrame(stack, thread), 1L, Long::sum);
                        threads.merge(thread, 1L, Long::sum);
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = e.getLong("weight");
                        allocated += weight;
                        String type = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                        RecordedStackTrace stack = e.getStackTrace();
                        String site = stack == null || stack.getFrames().isEmpty() ? "?"
                                : method(stack.getFrames().getFirst());
                        allocationSites.merge(site + " : " + type, weight, Long::sum);
                        allocationGateway.merge(gatewayFrame(stack, threadGroup(e.getThread())), weight, Long::sum);
                        allocationClasses.merge(type, weight, Long::sum);
                    }
                    case "jdk.JavaMonitorEnter", "jdk.VirtualThreadPinned", "jdk.SocketWrite" -> {
                        String what = switch (e.getEventType().getName()) {
                            case "jdk.JavaMonitorEnter" -> "monitor enter "
                                    + (e.getClass("monitorClass") == null ? "?" : e.getClass("monitorClass").getName());
                            case "jdk.VirtualThreadPinned" -> "virtual thread pinned";
                            default -> "socket write";
                        };
                        long nanos = e.getDuration().toNanos();
                        long[] w = waits.computeIfAbsent(what + " @ " + gatewayFrame(e.getStackTrace(),
                                threadGroup(e.getThread())), k -> new long[3]);
                        w[0]++;
                        w[1] += nanos;
                        w[2] = Math.max(w[2], nanos);
                    }
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        long pause = e.getDuration("sumOfPauses").toNanos();
                        gcPauseNanos += pause;
                        gcLongestNanos = Math.max(gcLongestNanos, e.getDuration("longestPause").toNanos());
                    }
                    case "jdk.Compilation" -> {
                        compilations++;
                        long nanos = e.getDuration().toNanos();
                        compileNanos += nanos;
                        compileLongestNanos = Math.max(compileLongestNanos, nanos);
                    }
                    case "jdk.CPULoad" -> {
                        loads++;
                        jvmLoad += e.getDouble("jvmUser") + e.getDouble("jvmSystem");
                        machineLoad += e.getDouble("machineTotal");
                    }
                    default -> {
                        // Other events of the profile settings are in the file for `jfr view`/`jfr print`.
                    }
                }
            }
        }
        ObjectNode out = ResultFile.JSON.createObjectNode();
        out.put("file", file.toString());
        if (from != null) {
            out.put("from", from.toString());
        }
        if (to != null) {
            out.put("to", to.toString());
        }
        out.put("seconds", first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0);
        out.put("execution_samples", samples).put("allocation_sampled_bytes", allocated);
        out.put("gc_count", gcCount).put("gc_pause_total_ms", gcPauseNanos / 1e6)
                .put("gc_pause_longest_ms", gcLongestNanos / 1e6);
        out.put("compilations", compilations).put("compilation_total_ms", compileNanos / 1e6)
                .put("compilation_longest_ms", compileLongestNanos / 1e6);
        out.put("jvm_cpu_share_of_machine", loads == 0 ? Double.NaN : jvmLoad / loads)
                .put("machine_cpu_share", loads == 0 ? Double.NaN : machineLoad / loads);
        top(out.putArray("hot_methods"), topFrames, samples);
        top(out.putArray("hot_packages"), topPackages, samples);
        top(out.putArray("gateway_frames"), gatewayFrames, samples);
        top(out.putArray("threads"), threads, samples);
        top(out.putArray("allocation_sites"), allocationSites, allocated);
        top(out.putArray("allocation_gateway_frames"), allocationGateway, allocated);
        top(out.putArray("allocation_classes"), allocationClasses, allocated);
        ArrayNode w = out.putArray("waits_over_threshold");
        waits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(KEEP)
                .forEach(e -> w.addObject().put("what", e.getKey()).put("count", e.getValue()[0])
                        .put("total_ms", e.getValue()[1] / 1e6).put("max_ms", e.getValue()[2] / 1e6));
        return out;
    }

    /** The summary as Markdown: one line of totals and five small tables of at most {@code rows} rows. */
    public static String markdown(JsonNode s, int rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%.1f s recorded; %,d stack samples, %,.0f MB of allocation samples' "
                        + "weight; CPU (jdk.CPULoad): this JVM %s of the machine, the machine %s; GC: %,d collections, "
                        + "%.1f ms paused in total, longest %.1f ms; JIT: %,d compilations, %.0f ms in total.%n%n",
                s.path("seconds").asDouble(), s.path("execution_samples").asLong(),
                s.path("allocation_sampled_bytes").asDouble() / 1e6, percent(s.path("jvm_cpu_share_of_machine")),
                percent(s.path("machine_cpu_share")), s.path("gc_count").asLong(),
                s.path("gc_pause_total_ms").asDouble(), s.path("gc_pause_longest_ms").asDouble(),
                s.path("compilations").asLong(), s.path("compilation_total_ms").asDouble()));
        out.append(table(s.path("hot_methods"), rows, "hot method (top frame of the stack samples)", "samples"));
        out.append('\n').append(table(s.path("hot_packages"), rows, "package of the top frame", "samples"));
        out.append('\n').append(table(s.path("gateway_frames"), rows,
                "gateway code the samples are in (first io.relaymesh frame from the top)", "samples"));
        out.append('\n').append(table(s.path("threads"), rows, "thread sampled", "samples"));
        out.append('\n').append(table(s.path("allocation_sites"), rows, "allocation site (top frame) : class",
                "MB (sample weight)"));
        out.append('\n').append(table(s.path("allocation_gateway_frames"), rows,
                "gateway code that allocated (first io.relaymesh frame)", "MB (sample weight)"));
        if (!s.path("waits_over_threshold").isEmpty()) {
            Table waits = new Table("wait over the recording's threshold @ gateway code", "count", "total ms", "max ms");
            int n = 0;
            for (JsonNode w : s.path("waits_over_threshold")) {
                if (n++ == rows) {
                    break;
                }
                waits.row(shorten(w.path("what").asText()), w.path("count").asLong(),
                        String.format(Locale.ROOT, "%.1f", w.path("total_ms").asDouble()),
                        String.format(Locale.ROOT, "%.1f", w.path("max_ms").asDouble()));
            }
            out.append('\n').append(waits.render());
        } else {
            out.append("\nNo monitor enter, pinned virtual thread or socket write passed the recording's thresholds.\n");
        }
        return out.toString();
    }

    private static String table(JsonNode entries, int rows, String header, String unit) {
        Table table = new Table(header, unit, "share");
        int n = 0;
        for (JsonNode e : entries) {
            if (n++ == rows) {
                break;
            }
            double value = e.path("value").asDouble();
            table.row(shorten(e.path("key").asText()), unit.startsWith("MB")
                            ? String.format(Locale.ROOT, "%,.1f", value / 1e6) : String.format(Locale.ROOT, "%,.0f", value),
                    String.format(Locale.ROOT, "%.1f %%", 100 * e.path("share").asDouble()));
        }
        return table.render();
    }

    private static void top(ArrayNode into, Map<String, Long> counts, long total) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(KEEP)
                .forEach(e -> into.addObject().put("key", e.getKey()).put("value", e.getValue())
                        .put("share", total == 0 ? 0 : (double) e.getValue() / total));
    }

    private static String method(RecordedFrame frame) {
        RecordedMethod m = frame.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static String packageOf(RecordedFrame frame) {
        RecordedMethod m = frame.getMethod();
        if (m == null) {
            return "?";
        }
        String type = m.getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default package)" : type.substring(0, dot);
    }

    /** The first gateway frame from the top of the stack, else "(no gateway frame: thread)". */
    private static String gatewayFrame(RecordedStackTrace stack, String thread) {
        if (stack != null) {
            List<RecordedFrame> frames = stack.getFrames();
            for (RecordedFrame frame : frames) {
                RecordedMethod m = frame.getMethod();
                if (m != null && m.getType().getName().startsWith(GATEWAY)) {
                    return method(frame);
                }
            }
            if (stack.isTruncated()) {
                return "(stack truncated before any gateway frame: " + thread + ")";
            }
        }
        return "(no gateway frame: " + thread + ")";
    }

    private static String threadGroup(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        if (thread.isVirtual()) {
            return "virtual threads";
        }
        String name = thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
        return name == null ? "?" : name.replaceAll("(?<![A-Za-z])\\d+", "N");
    }

    /** "io.relaymesh.adapters.web.WsConnection.drain" → "i.r.a.w.WsConnection.drain" (packages to their first letter). */
    static String shorten(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([a-z][a-z0-9_]*\\.)+(?=[A-Z$])").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder abbreviated = new StringBuilder();
            for (String part : m.group().split("\\.")) {
                abbreviated.append(part.charAt(0)).append('.');
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(abbreviated.toString()));
        }
        m.appendTail(out);
        return out.toString().replace("|", "\\|");
    }

    private static String percent(JsonNode share) {
        return share.isNumber() && !Double.isNaN(share.asDouble())
                ? String.format(Locale.ROOT, "%.0f %%", 100 * share.asDouble()) : "-";
    }
}
