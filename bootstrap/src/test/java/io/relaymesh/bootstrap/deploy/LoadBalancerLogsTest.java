package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/haproxy.cfg logs requests without their query strings: WebSocket URLs carry
 * {@code ?token=…&x-api-key=…} (the admin key of {@code /ws/admin} among them), and a log line is
 * read by more people, and kept longer, than the key should be.
 */
class LoadBalancerLogsTest {
    private static final HaproxyConfig LB = HaproxyConfig.load();
    private static final String NAME = LB.name();
    /**
     * Log variables and sample fetches that print the query string: %r / %{+Q}r (request line),
     * %HU (URI), %HQ (query), and the url / query / uri fetches inside %[…].
     */
    private static final Pattern FULL_URI = Pattern.compile(
            "%(\\{[^}]*\\})?(r|HU|HQ)(?![A-Za-z])|%\\[[^]]*\\b(url|query|capture\\.req\\.uri|url_param|urlp)\\b");

    @Test
    void noSection_usesHttplog_whoseFormatPrintsTheWholeRequestLine() {
        for (Map.Entry<String, List<String>> section : LB.sections().entrySet()) {
            for (String line : section.getValue()) {
                assertTrue(!line.matches("option https?log\\b.*"),
                        NAME + " [" + section.getKey() + "]: '" + line + "' logs %{+Q}r, the query string with the keys");
            }
        }
    }

    @Test
    void frontendLogFormat_printsThePathWithoutTheQueryString() {
        Map.Entry<String, List<String>> frontend = LB.first("frontend");
        String format = LB.setting(frontend.getValue(), "log-format")
                .orElseGet(() -> fail(NAME + ": the frontend has no log-format, so HAProxy logs no request path at all"));
        assertTrue(format.contains("%HP"), NAME + ": the log-format should print the path (%HP): " + format);
        assertEquals(List.of(), FULL_URI.matcher(format).results().map(m -> m.group()).toList(),
                NAME + ": the log-format prints the full URI, query string included: " + format);
    }

    @Test
    void noDirective_capturesTheUrlOrTheQueryIntoTheLog() {
        for (Map.Entry<String, List<String>> section : LB.sections().entrySet()) {
            for (String line : section.getValue()) {
                if (line.contains("capture") || line.startsWith("log-format") || line.startsWith("error-log-format")) {
                    assertEquals(List.of(), FULL_URI.matcher(line).results().map(m -> m.group()).toList(),
                            NAME + " [" + section.getKey() + "]: '" + line + "' puts the query string in the log");
                    assertTrue(!line.matches(".*\\b(url|query|uri)\\b.*") || line.startsWith("log-format"),
                            NAME + " [" + section.getKey() + "]: '" + line + "' captures the URL");
                }
            }
        }
    }
}
