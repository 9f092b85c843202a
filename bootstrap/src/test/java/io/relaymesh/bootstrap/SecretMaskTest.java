package io.relaymesh.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets of URLs and headers are masked in log lines that print them. */
class SecretMaskTest {

    @Test
    void queryParameters_tokenAndApiKey_areMasked_otherParametersStay() {
        assertEquals("GET /ws/acme/support?token=****&x-api-key=****&v=2",
                SecretMask.mask("GET /ws/acme/support?token=abc.DEF-123_x&x-api-key=secret-key&v=2"));
        assertEquals("HttpPrologue[uriPath=/ws/admin, query=?X-API-Key=****&TOKEN=****, fragment=]",
                SecretMask.mask("HttpPrologue[uriPath=/ws/admin, query=?X-API-Key=k1&TOKEN=t%2B1, fragment=]"));
    }

    @Test
    void theApiKeyHeader_isMasked_inAHeaderDump() {
        assertEquals("recv headers:\nHost: 127.0.0.1:8080\nX-API-Key: ****\nContent-Length: 2",
                SecretMask.mask("recv headers:\nHost: 127.0.0.1:8080\nX-API-Key: admin-key-123\nContent-Length: 2"));
    }

    @Test
    void linesWithoutSecrets_areLeftAlone() {
        String line = "session_key=session:acme:support:alice replaced by a newer connection";
        assertSame(line, SecretMask.mask(line));
        assertEquals("the token expired at 2030-01-01T00:00:00Z", SecretMask.mask("the token expired at 2030-01-01T00:00:00Z"));
        assertEquals("expires_in_seconds=60", SecretMask.mask("expires_in_seconds=60"), "not a token parameter");
    }

    @Test
    void credentialsInAServerUrl_areStripped_evenWithoutAnyTokenParameter() {
        assertEquals("Unable to connect to NATS servers: [nats://***@127.0.0.1:4222]",
                SecretMask.mask("Unable to connect to NATS servers: [nats://relay:hunter2@127.0.0.1:4222]"));
    }

    @Test
    void bothShippedLogFormats_maskWhatALinePrints_whoeverLogsIt() throws Exception {
        // A context of its own, configured from the shipped logback.xml like the server's.
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(SecretMaskTest.class.getResource("/logback.xml"));
        try {
            LoggingEvent event = new LoggingEvent("test", context.getLogger("io.helidon.test"), Level.WARN,
                    "recv prologue: query=?token={}&x-api-key=k3y, fragment=",
                    new java.io.IOException("Unable to connect to [nats://u:pa55w0rd@h:4222]"), new Object[]{"t0k3n"});
            @SuppressWarnings("unchecked")
            OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
                    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(Logging.TEXT_APPENDER);

            String text = new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8);
            String json = new String(Logging.jsonEncoder(context).encode(event), StandardCharsets.UTF_8);

            assertTrue(text.contains("recv prologue: query=?token=****&x-api-key=****, fragment="), text);
            assertTrue(json.contains("query=?token=****&x-api-key=****"), json);
            assertTrue(text.contains("nats://***@h:4222"), "the exception is printed, masked: " + text);
            for (String line : new String[]{text, json}) {
                assertFalse(line.contains("t0k3n") || line.contains("k3y") || line.contains("pa55w0rd"), line);
            }
        } finally {
            context.stop();
        }
    }
}
