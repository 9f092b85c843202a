package io.relaymesh.domain.error;

import java.util.regex.Pattern;

/**
 * Strips the user-info part ({@code user:password@}, {@code token@}) from every URL in a text, so
 * that a server URL such as {@code nats://app:s3cret@nats:4222} can go into a log line, an
 * exception message, an HTTP body or a metric label as {@code nats://***@nats:4222}. The one place
 * that knows how; the log masker of bootstrap applies it to every line as well. Stateless.
 */
public final class UrlCredentials {
    /** What stands where the credentials were. */
    public static final String MASK = "***";
    // scheme "://" then everything up to the last '@' before the host: a raw '@' in a password
    // (which should be %40) still ends up masked. Whitespace, '/', ',' and quotes end a URL.
    private static final Pattern USER_INFO =
            Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^\\s/?#,;\"'<>\\[\\]]*@");

    private UrlCredentials() {
    }

    /** {@code text} with the credentials of every URL in it replaced by {@link #MASK}; the same string when it holds none. */
    public static String strip(String text) {
        if (text == null || !text.contains("://") || text.indexOf('@') < 0) {
            return text;
        }
        return USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    }
}
