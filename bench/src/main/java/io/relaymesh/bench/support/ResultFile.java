package io.relaymesh.bench.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a run's results go: {@code <results dir>/<name>-<timestamp>.json} (and its log file next to
 * it). The folder is {@code -Dbench.results}, else {@code bench/results} when run from the project
 * root, else {@code results}; it is git-ignored.
 */
public final class ResultFile {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path json;
    private final Path log;

    private ResultFile(Path json, Path log) {
        this.json = json;
        this.log = log;
    }

    public static ResultFile forRun(String name) {
        String configured = System.getProperty("bench.results");
        Path dir = configured != null ? Path.of(configured)
                : Files.isDirectory(Path.of("bench")) ? Path.of("bench", "results") : Path.of("results");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the results folder " + dir.toAbsolutePath(), e);
        }
        String base = name + "-" + LocalDateTime.now().format(STAMP);
        return new ResultFile(dir.resolve(base + ".json").toAbsolutePath(), dir.resolve(base + ".log").toAbsolutePath());
    }

    /** The log file of the run (the pods' and adapters' log lines, kept off stdout). */
    public Path log() {
        return log;
    }

    public Path write(ObjectNode result) {
        try {
            JSON.writeValue(json.toFile(), result);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json, e);
        }
    }
}
