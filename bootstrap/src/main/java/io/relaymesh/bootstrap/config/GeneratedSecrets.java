package io.relaymesh.bootstrap.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The auth keys a standalone pod generated because the configuration left them empty, by key path
 * ({@code auth.secret_token} → value), so that Main can print them once for the developer.
 *
 * <p>A reload must keep them (clients already hold tokens made with them): pass {@link
 * #asEnvironment()} along with the environment when loading again.
 */
public record GeneratedSecrets(Map<String, String> values) {
    public GeneratedSecrets {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Nothing generated: every key was configured, or the pod runs in cluster mode. */
    public static GeneratedSecrets none() {
        return new GeneratedSecrets(Map.of());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Key paths that were generated, e.g. {@code auth.token_aes_key}. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The generated values as environment overrides ({@code RELAYMESH_AUTH_…} → value). */
    public Map<String, String> asEnvironment() {
        return values.entrySet().stream().collect(Collectors.toMap(
                e -> ConfigKey.byPath(e.getKey()).orElseThrow().envVariable(),
                Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Masks the values: records end up in log lines. */
    @Override
    public String toString() {
        return "GeneratedSecrets" + values.entrySet().stream()
                .map(e -> e.getKey() + "=" + Secrets.mask(e.getValue()))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
