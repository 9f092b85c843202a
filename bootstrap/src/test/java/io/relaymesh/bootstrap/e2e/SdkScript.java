package io.relaymesh.bootstrap.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one end-to-end script of the JavaScript client SDK ({@code clients/js/test/e2e/*.mjs}) with
 * {@code node}, against the built SDK ({@code clients/js/dist}, which {@code make test} builds),
 * streaming its lines to the test output. A line {@code ACTION name} asks for something only the
 * test can do (restart the jar, stop a pod): the matching action runs and the script reads
 * {@code done name} (or {@code failed name: why}) on its standard input. A missing node, npm
 * install or build fails the test with the command that fixes it: these tests are never skipped.
 */
final class SdkScript {
    private static final Duration LIMIT = Duration.ofMinutes(4);

    /** Something the script asks the test to do. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private SdkScript() {
    }

    /** clients/js: package.json, node_modules (after npm ci), dist (after npm run build) and the scripts. */
    static Path folder() {
        String dir = System.getProperty("relaymesh.clientjs.dir");
        Path folder = dir != null ? Path.of(dir) : Path.of("..", "clients", "js");
        if (!Files.isRegularFile(folder.resolve("package.json"))) {
            fail("the JavaScript client SDK is missing: no package.json in " + folder.toAbsolutePath());
        }
        return folder;
    }

    /** Fails, saying what to run, unless node, the npm packages and the built SDK are there. */
    static void requireTools() {
        if (!Files.isExecutable(Path.of("/usr/bin/node")) && !onPath("node")) {
            fail("the client SDK tests need Node.js 18+ and npm: apt-get install -y nodejs npm");
        }
        Path folder = folder().toAbsolutePath();
        if (!Files.isDirectory(folder.resolve("node_modules").resolve("ws"))) {
            fail("the npm packages of clients/js are not installed: (cd " + folder + " && npm ci), which `make test` does");
        }
        if (!Files.isRegularFile(folder.resolve("dist").resolve("index.js"))) {
            fail("the client SDK is not built: (cd " + folder + " && npm run build), which `make test` does");
        }
    }

    /** Runs {@code node test/e2e/<script>} with {@code env}; fails with the lines that say what went wrong. */
    static void run(String script, Map<String, String> env, Map<String, Action> actions)
            throws IOException, InterruptedException {
        requireTools();
        ProcessBuilder pb = new ProcessBuilder("node", "test/e2e/" + script)
                .directory(folder().toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        OutputStream answers = process.getOutputStream();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[sdk " + script + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith("ACTION ")) {
                        String name = line.substring("ACTION ".length()).strip();
                        String answer = perform(name, actions.get(name));
                        System.out.println("[sdk " + script + "] <- " + answer);
                        answers.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                        answers.flush();
                    }
                }
            } catch (IOException e) {
                System.out.println("[sdk " + script + "] (output ended: " + e.getMessage() + ")");
            }
        });
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
            fail("node " + script + " did not finish within " + LIMIT + ":\n" + tail(lines));
        }
        reader.join(Duration.ofSeconds(5));
        synchronized (lines) {
            if (process.exitValue() != 0) {
                List<String> failures = lines.stream().filter(l -> l.startsWith("not ok")).toList();
                fail("node " + script + " failed (exit " + process.exitValue() + "): "
                        + (failures.isEmpty() ? tail(lines) : String.join("\n", failures)));
            }
            if (lines.stream().noneMatch(l -> l.matches("1\\.\\.[1-9]\\d*"))) {
                fail("node " + script + " ran no scenario:\n" + tail(lines));
            }
        }
    }

    private static String perform(String name, Action action) {
        if (action == null) {
            return "failed " + name + ": the test has no such action";
        }
        try {
            action.run();
            return "done " + name;
        } catch (Exception e) {
            return "failed " + name + ": " + e;
        }
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
