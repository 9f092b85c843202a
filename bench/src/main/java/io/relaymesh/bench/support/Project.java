package io.relaymesh.bench.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Which build of the project was measured: the jar each module's classes came from (name, time,
 * SHA-256 prefix) and the git commit checked out when the run started. The bench runs the
 * artifacts installed in ~/.m2, which may be newer or older than that commit.
 */
public final class Project {
    private Project() {
    }

    public static void describe(ObjectNode into, Class<?>... fromModules) {
        into.put("git_head", gitHead());
        ObjectNode jars = into.putObject("jars");
        for (Class<?> type : fromModules) {
            jars.put(type.getSimpleName(), jarOf(type));
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return jar.toString();
            }
            return jar.getFileName() + " " + Files.getLastModifiedTime(jar) + " sha256:" + sha256Prefix(jar);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    private static String sha256Prefix(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code git rev-parse --short HEAD} in the working folder; the process is killed if it hangs. */
    private static String gitHead() {
        Process process = null;
        try {
            process = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                return "unknown (git did not answer)";
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
