package io.relaymesh.bootstrap.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.relaymesh.bootstrap.Logging;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket URLs carry {@code token=} and {@code x-api-key=} (the protocol requires them), so no
 * log line may print them: every logger (ours and Helidon's, through java.util.logging) is turned
 * to TRACE and captured while clients connect, fail and call the HTTP API with secrets in the URL,
 * and no captured message, argument, context field or exception may contain a secret.
 */
class SecretsInLogsIT {

    @Test
    void noLogLine_atAnyLevel_printsATokenOrAnApiKeyFromAUrl() {
        List<ILoggingEvent> events;
        String token;
        String adminToken;
        String wrongKey = "wrong-key-SECRET-0123456789abcdef";
        String bogusToken = "bogus-token-SECRET-0123456789abcdef";
        try (Capture capture = new Capture(); GatewayHarness gw = GatewayHarness.start()) {
            token = gw.userToken("acme", "secrets", "alice", 600);
            adminToken = gw.adminToken("ops", null, null, null);
            try (WsClient user = WsClient.connect(gw.userUri("acme", "secrets", token))) {
                user.expectReady();
                user.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"chat-1\"}}");
                user.send("{\"type\":\"nonsense\"}");
                user.expectErrorAndClose("BadRequest", 4400);
            }
            try (WsClient admin = WsClient.connect(gw.adminUri(adminToken))) {
                admin.expectReady();
            }
            try (WsClient badToken = WsClient.connect(gw.ws("/ws/acme/secrets?token=" + bogusToken + "&x-api-key="
                    + GatewayHarness.q(GatewayHarness.GENERAL_KEY)))) {
                badToken.expectErrorAndClose("InvalidToken", 4403);
            }
            try (WsClient badKey = WsClient.connect(gw.ws("/ws/acme/secrets?token=" + GatewayHarness.q(token)
                    + "&x-api-key=" + wrongKey))) {
                badKey.expectErrorAndClose("InvalidAPIKey", 4401);
            }
            try (WsClient badPath = WsClient.connect(gw.ws("/ws/acme/a.b?token=" + GatewayHarness.q(token)
                    + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)))) {
                badPath.expectErrorAndClose("BadRequest", 4400);
            }
            String query = "?token=" + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.ADMIN_KEY);
            assertEquals(200, gw.get("/health" + query).statusCode());
            assertEquals(404, gw.get("/no/such/page" + query).statusCode());
            assertEquals(404, gw.get("/ws/acme" + query).statusCode(), "a WebSocket path that matches no endpoint");
            HttpResponse<String> publish = gw.post("/api/v1/publish" + query, null,
                    "{\"subject\":\"websocket.acme.secrets.chats\",\"payload\":{}}");
            assertEquals(401, publish.statusCode(), "the key in the URL is not taken for the publish API");
            java.util.logging.Logger.getLogger("io.relaymesh.test.planted").info("planted " + bogusToken);
            events = capture.events();
        }

        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : events) {
            String text = everything(event);
            for (String secret : List.of(token, adminToken, GatewayHarness.GENERAL_KEY, GatewayHarness.ADMIN_KEY,
                    GatewayHarness.q(token), wrongKey, bogusToken)) {
                if (text.contains(secret) && !event.getLoggerName().equals("io.relaymesh.test.planted")) {
                    leaks.add(event.getLoggerName() + " " + event.getLevel() + ": " + text);
                }
            }
        }
        assertEquals(List.of(), leaks, "log lines that print a secret");
        // The capture itself works: it saw our lines and Helidon's, and finds a planted secret.
        assertTrue(events.stream().anyMatch(e -> e.getLoggerName().startsWith("io.helidon")), "no Helidon line captured");
        assertTrue(events.stream().anyMatch(e -> e.getLoggerName().startsWith("io.relaymesh.adapters.web")),
                "no line of the web adapter captured");
        assertTrue(events.stream().anyMatch(e -> e.getLoggerName().equals("io.relaymesh.test.planted")
                && everything(e).contains(bogusToken)), "the planted secret must be found");
    }

    /** The message, its arguments, the context fields and any exception of {@code event}, as one string. */
    private static String everything(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        if (event.getArgumentArray() != null) {
            for (Object argument : event.getArgumentArray()) {
                text.append(' ').append(argument);
            }
        }
        text.append(' ').append(event.getMDCPropertyMap());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                text.append(' ').append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }

    /** Every logger at TRACE into a list, java.util.logging bridged; restores everything when closed. */
    private static final class Capture implements AutoCloseable {
        private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Map<String, Level> levels = new HashMap<>();
        private final java.util.logging.Handler[] julHandlers =
                java.util.logging.Logger.getLogger("").getHandlers();

        Capture() {
            Logging.install();
            appender.setContext(context);
            appender.start();
            for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.helidon", "io.helidon.webserver.LoomServer",
                    "io.relaymesh")) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                levels.put(name, logger.getLevel());
                logger.setLevel(Level.TRACE);
            }
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        }

        List<ILoggingEvent> events() {
            return List.copyOf(appender.list);
        }

        @Override
        public void close() {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            for (java.util.logging.Handler handler : root.getHandlers()) {
                root.removeHandler(handler);
            }
            for (java.util.logging.Handler handler : julHandlers) {
                root.addHandler(handler);
            }
        }
    }
}
