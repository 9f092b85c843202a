package io.relaymesh.bench.support;

import java.util.Locale;

/** Progress lines on stdout, stamped with the seconds since the benchmark started. Thread-safe. */
public final class Progress {
    private final long startNanos = System.nanoTime();
    private final String name;

    public Progress(String name) {
        this.name = name;
    }

    public void line(String format, Object... args) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String text = String.format(Locale.ROOT, format, args);
        synchronized (System.out) {
            System.out.printf(Locale.ROOT, "[%s +%6.1fs] %s%n", name, seconds, text);
            System.out.flush();
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
