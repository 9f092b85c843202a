package io.relaymesh.bootstrap;

import io.relaymesh.domain.error.UrlCredentials;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks the secrets that travel in request URLs and headers wherever a log line prints them:
 * {@code token=…} and {@code x-api-key=…} query parameters (WebSocket URLs must carry them) and
 * the {@code X-API-Key:} header. Helidon's connection debug logging, for one, prints whole
 * prologues and header blocks. Also strips credentials from any URL ({@link UrlCredentials}), the
 * net under the places that already print server URLs without them. Stateless and thread-safe.
 */
final class SecretMask {
    static final String MASK = "****";
    private static final Pattern QUERY = Pattern.compile("(?i)((?:^|[?&\\s;])(?:token|x-api-key)=)[^&\\s,;\\]\"']+");
    private static final Pattern HEADER = Pattern.compile("(?i)(x-api-key\\s*:\\s*)[^\\s,;\"']+");

    private SecretMask() {
    }

    /** {@code text} with every secret value replaced by {@link #MASK}; the same string when it holds none. */
    static String mask(String text) {
        if (text == null) {
            return null;
        }
        String stripped = UrlCredentials.strip(text);
        String lower = stripped.toLowerCase(Locale.ROOT);
        if (!lower.contains("token=") && !lower.contains("x-api-key")) {
            return stripped;
        }
        String masked = QUERY.matcher(stripped).replaceAll("$1" + MASK);
        return HEADER.matcher(masked).replaceAll("$1" + MASK);
    }
}
