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
