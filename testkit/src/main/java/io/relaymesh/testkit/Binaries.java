package io.relaymesh.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds server executables on PATH and in the Debian locations PATH often lacks ({@code /usr/sbin}). */
final class Binaries {
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin");

    private final List<Path> searchPath;

    Binaries(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** PATH of this process, then the extra folders. */
    static Binaries fromEnvironment() {
        Set<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        EXTRA_DIRS.forEach(dir -> dirs.add(Path.of(dir)));
        return new Binaries(new ArrayList<>(dirs));
    }

    Optional<Path> find(String name) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Where {@link #find} looked, for failure messages. */
    String describe() {
        return searchPath.toString();
    }
}
