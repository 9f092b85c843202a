package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/haproxy.cfg read into sections ({@code defaults}, {@code frontend x}, {@code backend y},
 * ...) of directive lines, comments dropped.
 */
record HaproxyConfig(String name, Map<String, List<String>> sections) {
    static final Path FILE = DeployFiles.DEPLOY.resolve("haproxy.cfg");
    private static final List<String> SECTION_KEYWORDS =
            List.of("global", "defaults", "frontend", "backend", "listen", "resolvers", "peers", "userlist");

    static HaproxyConfig load() {
        String name = DeployFiles.describe(FILE);
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : DeployFiles.read(FILE).lines().toList()) {
            String line = raw.replaceFirst("(^|\\s)#.*$", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String keyword = line.split("\\s+")[0];
            if (SECTION_KEYWORDS.contains(keyword) && !Character.isWhitespace(raw.charAt(0))) {
                current = new ArrayList<>();
                sections.put(line.replaceAll("\\s+", " "), current);
            } else if (current == null) {
                fail(name + ": '" + line + "' is outside any section");
            } else {
                current.add(line.replaceAll("\\s+", " "));
            }
        }
        return new HaproxyConfig(name, sections);
    }

    List<String> section(String header) {
        List<String> lines = sections.get(header);
        if (lines == null) {
            fail(name + " has no section '" + header + "' (sections: " + sections.keySet() + ")");
        }
        return lines;
    }

    /** The lines of the first section whose header starts with {@code kind} (e.g. "frontend"). */
    Map.Entry<String, List<String>> first(String kind) {
        return sections.entrySet().stream().filter(e -> e.getKey().startsWith(kind + " ")).findFirst()
                .orElseGet(() -> fail(name + " has no " + kind + " section"));
    }

    /** The value of {@code directive} in {@code section}, else in {@code defaults}. */
    Optional<String> setting(List<String> section, String directive) {
        for (List<String> lines : List.of(section, sections.getOrDefault("defaults", List.of()))) {
            Optional<String> found = lines.stream().filter(l -> l.startsWith(directive + " "))
                    .map(l -> l.substring(directive.length() + 1)).reduce((a, b) -> b);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The port the first frontend binds ({@code bind :8080} or {@code bind *:8080}). */
    int frontendPort() {
        List<String> binds = first("frontend").getValue().stream().filter(l -> l.startsWith("bind ")).toList();
        if (binds.size() != 1) {
            fail(name + ": the frontend should bind one address, binds " + binds);
        }
        Matcher m = Pattern.compile("^bind \\S*:(\\d+)").matcher(binds.get(0));
        return m.find() ? Integer.parseInt(m.group(1)) : fail(name + ": cannot read the port of " + binds.get(0));
    }

    private static final Pattern TIME = Pattern.compile("(\\d+)(us|ms|s|m|h|d)?");

    /** An HAProxy time: a number with an optional unit (milliseconds when none). */
    Duration time(String text) {
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            fail(name + ": '" + text + "' is not a time");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
