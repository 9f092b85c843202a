package io.relaymesh.bootstrap.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * Runs one browser script of {@code src/test/browser/} with {@code node}, streaming its lines to
 * the test output, and fails with the script's own message. A missing node, browser or npm
 * install fails the test with the command that fixes it: these tests are never skipped.
 */
final class BrowserScript {
    private static final Duration LIMIT = Duration.ofMinutes(4);

    /** The browsers the scripts drive, each with the npm package that drives it. */
    enum Browser {
        /** Debian's Chromium, driven by playwright-core. */
        CHROMIUM("CHROMIUM_PATH", "/usr/bin/chromium", "chromium", "playwright-core"),
        /** Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi. */
        FIREFOX("FIREFOX_PATH", "/usr/bin/firefox-esr", "firefox-esr", "puppeteer-core");

        final String variable;
        final String defaultPath;
        final String debianPackage;
        final String npmPackage;

        Browser(String variable, String defaultPath, String debianPackage, String npmPackage) {
            this.variable = variable;
            this.defaultPath = defaultPath;
            this.debianPackage = debianPackage;
            this.npmPackage = npmPackage;
        }

        Path path() {
            String path = System.getenv(variable);
            return Path.of(path != null && !path.isBlank() ? path : defaultPath);
        }
    }

    private BrowserScript() {
    }

    /** The folder of the browser tests: package.json, the scripts and (after npm ci) node_modules. */
    static Path folder() {
        String dir = System.getProperty("relaymesh.browser.dir");
        Path folder = dir != null ? Path.of(dir) : Path.of("src", "test", "browser");
        if (!Files.isRegularFile(folder.resolve("package.json"))) {
            fail("the browser tests are missing: no package.json in " + folder.toAbsolutePath());
        }
        return folder;
    }

    /** Where the scripts write their screenshots (bootstrap/target/dashboard-screenshots). */
    static Path screenshots() {
        String dir = System.getProperty("relaymesh.screenshots.dir");
        return dir != null ? Path.of(dir) : Path.of("target", "dashboard-screenshots");
    }

    /** Fails, saying what to install, unless node, Chromium and the npm packages are all there. */
    static void requireTools() {
        requireTools(Browser.CHROMIUM);
    }

    /** Fails, saying what to install, unless node, {@code browser} and its npm package are all there. */
    static void requireTools(Browser browser) {
        Path node = onPath("node");
        if (node == null) {
            fail("the dashboard browser tests need Node.js 18+ and npm: apt-get install -y nodejs npm"
                    + " (then `make test` installs the npm packages)");
        }
        String version = output(List.of(node.toString(), "--version")).strip();
        if (!version.matches("v(1[89]|[2-9]\\d)\\..*")) {
            fail("the dashboard browser tests need Node.js 18 or newer; `node --version` says " + version);
        }
        Path binary = browser.path();
        if (!Files.isExecutable(binary)) {
            fail("the dashboard browser tests drive Debian's " + browser.debianPackage + ", and " + binary
                    + " is missing: apt-get install -y " + browser.debianPackage + " (or set " + browser.variable
                    + " to its binary)");
        }
        if (!Files.isDirectory(folder().resolve("node_modules").resolve(browser.npmPackage))) {
            fail("the npm packages of the browser tests are not installed: (cd "
                    + folder().toAbsolutePath() + " && npm ci), which `make test` does by itself");
        }
    }

    /** Runs {@code node script} in Chromium with {@code env}; fails with the lines that say what went wrong. */
    static void run(String script, Map<String, String> env) throws IOException, InterruptedException {
        run(Browser.CHROMIUM, script, env);
    }

    /** Runs {@code node script} in {@code browser} with {@code env}; fails with the lines that say what went wrong. */
    static void run(Browser browser, String script, Map<String, String> env) throws IOException, InterruptedException {
        requireTools(browser);
        Path folder = folder();
        ProcessBuilder pb = new ProcessBuilder(onPath("node").toString(), script)
                .directory(folder.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("SCREENSHOT_DIR", screenshots().toAbsolutePath().toString());
        pb.environment().put(browser.variable, browser.path().toString());
        Process process = pb.start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[browser " + script + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("[browser " + script + "] (output ended: " + e.getMessage() + ")");
            }
        });
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
            fail("node " + script + " did not finish within " + LIMIT + ":\n" + tail(lines));
        }
        reader.join(Duration.ofSeconds(5));
        if (process.exitValue() != 0) {
            List<String> failures;
            synchronized (lines) {
                failures = lines.stream().filter(l -> l.startsWith("not ok")).toList();
            }
            fail("node " + script + " failed (exit " + process.exitValue() + "): "
                    + (failures.isEmpty() ? tail(lines) : String.join("\n", failures))
                    + "\nscreenshots of the failure: " + screenshots().toAbsolutePath());
        }
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir, name);
            if (!dir.isBlank() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return text;
        } catch (IOException | InterruptedException e) {
            return "(" + String.join(" ", command) + " failed: " + e.getMessage() + ")";
        }
    }
}
