package io.relaymesh.bench.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about a process: resident memory, CPU time, open-file limit; and the machine's slab memory. */
public final class ProcStats {
    /** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every platform the bench runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** VmRSS of {@code pid} in kB, or -1 when it cannot be read (the process is gone). */
    public static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** User + system CPU seconds {@code pid} used so far, or -1 when it cannot be read. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command name: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU seconds (user + system) of each live thread of {@code pid}, summed by thread name as the
     * kernel keeps it ({@code /proc/<pid>/task/<tid>/comm}: the first 15 characters of the Java or
     * Node thread name) with every run of digits that does not follow a letter replaced by {@code N}, so
     * that "GC Thread#0" and "GC Thread#1" add up as "GC Thread#N" while "C2 CompilerThre" stays. Threads that ended are not in it (their time stays in
     * {@link #cpuSeconds}). Empty when the process is gone.
     */
    public static java.util.Map<String, Double> threadCpuSeconds(long pid) {
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim()
                            .replaceAll("(?<![A-Za-z])\\d+", "N");
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                    byName.merge(name.isEmpty() ? "?" : name, seconds, Double::sum);
                } catch (IOException | RuntimeException threadEnded) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return byName;
    }

    /** The soft "Max open files" of {@code pid}, as text. */
    public static String openFileLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Max open files")) {
                    return line.substring("Max open files".length()).trim().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** The machine's kernel slab memory (Slab in /proc/meminfo) in kB: sockets live there. */
    public static long slabKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Slab:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
