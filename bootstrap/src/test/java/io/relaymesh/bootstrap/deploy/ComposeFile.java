package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** deploy/docker-compose.yml, read the way Compose reads the parts the tests look at. */
record ComposeFile(Yml root) {
    static final Path FILE = DeployFiles.DEPLOY.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = DeployFiles.DEPLOY.resolve(".env.example");

    static ComposeFile load() {
        return new ComposeFile(Yml.load(FILE));
    }

    String name() {
        return DeployFiles.describe(FILE);
    }

    Yml service(String name) {
        return root.get("services").get(name);
    }

    List<String> serviceNames() {
        return root.get("services").keys();
    }

    /** A service's environment as written (uninterpolated), from either the mapping or the list form. */
    static Map<String, String> environment(Yml service) {
        Map<String, String> env = new LinkedHashMap<>();
        Optional<Yml> section = service.opt("environment");
        if (section.isEmpty()) {
            return env;
        }
        Object value = section.get().value();
        if (value instanceof Map<?, ?>) {
            section.get().map().forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (Yml item : section.get().list()) {
                String entry = item.text();
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** A published port: the host side (empty when Compose picks one, or none is published) and the container side. */
    record Port(Optional<String> host, int container, String where) {
    }

    /** A service's {@code ports}, interpolated with {@code vars} (so that {@code ${X:-8080}} reads 8080). */
    static List<Port> ports(Yml service, Map<String, String> vars) {
        return service.opt("ports").map(Yml::list).orElse(List.of()).stream().map(p -> port(p, vars)).toList();
    }

    private static Port port(Yml entry, Map<String, String> vars) {
        if (entry.value() instanceof Map<?, ?>) {
            Optional<String> published = entry.opt("published")
                    .map(y -> DeployFiles.interpolate(y.text(), vars, entry.where()));
            return new Port(published, entry.get("target").integer(), entry.where());
        }
        String spec = DeployFiles.interpolate(entry.text(), vars, entry.where()).replaceAll("/(tcp|udp)$", "");
        String[] parts = spec.split(":");
        try {
            int container = Integer.parseInt(parts[parts.length - 1]);
            return new Port(parts.length == 1 ? Optional.empty() : Optional.of(parts[parts.length - 2]), container,
                    entry.where());
        } catch (NumberFormatException e) {
            return fail(entry.where() + ": cannot read the port '" + spec + "'");
        }
    }

    /** A service's volume mounts as (source, target) pairs, from the short syntax. */
    static Map<String, String> volumes(Yml service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Yml v : service.opt("volumes").map(Yml::list).orElse(List.of())) {
            if (v.value() instanceof Map<?, ?>) {
                mounts.put(v.get("source").text(), v.get("target").text());
            } else {
                // source:target[:mode]; a ${VAR:-default} in the source holds a colon of its own.
                String[] parts = java.util.regex.Pattern.compile("(?:\\$\\{[^}]*}|[^:])+").matcher(v.text())
                        .results().map(java.util.regex.MatchResult::group).toArray(String[]::new);
                if (parts.length < 2) {
                    fail(v.where() + ": expected source:target, got " + v.text());
                }
                mounts.put(parts[0], parts[1]);
            }
        }
        return mounts;
    }

    /** The command as a list of words, from either the list or the string form. */
    static List<String> command(Yml service) {
        Yml command = service.get("command");
        return command.value() instanceof List<?>
                ? command.list().stream().map(Yml::text).toList()
                : List.of(command.text().trim().split("\\s+"));
    }
}
