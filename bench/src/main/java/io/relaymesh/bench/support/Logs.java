package io.relaymesh.bench.support;

import io.relaymesh.bootstrap.Logging;

import java.nio.file.Path;

/**
 * Sends every log line (SLF4J, and java.util.logging through the bridge) to the run's log file, so
 * stdout carries only progress lines and tables. Must run before the first logger is created:
 * Logback then reads bench-logback.xml (not the bootstrap's logback.xml, also on the class path),
 * which takes the file from {@code bench.log}.
 */
public final class Logs {
    private Logs() {
    }

    public static void toFile(Path file) {
        System.setProperty("bench.log", file.toString());
        System.setProperty("logback.configurationFile", "bench-logback.xml");
        Logging.install();
    }
}
