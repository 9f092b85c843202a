package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /dashboard/defaults} hands the keys a standalone jar generated for this run to its own
 * page on this machine only: not to a DNS-rebinding page (foreign {@code Host}), not to a
 * cross-site request, never configured keys (AdminApiIT). Requests are written on a raw socket so
 * that {@code Host}, {@code Origin} and {@code Sec-Fetch-Site} are exactly what an attacker's
 * browser would send.
 */
class DashboardDefaultsIT {
    private static JarProcess jar;
    private static String generalKey;
    private static String adminKey;

    @BeforeAll
    static void startJarWithGeneratedKeys() throws IOException {
        int port = JarProcess.freePort();
        jar = JarProcess.start(port, JarProcess.unkeyedEnv(port), 0).awaitUp();
        Map<String, String> keys = jar.generatedKeys();
        generalKey = keys.get("RELAYMESH_AUTH_SECRET_TOKEN");
        adminKey = keys.get("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN");
        assertTrue(generalKey != null && adminKey != null, "generated keys in the banner: " + keys);
    }

    @AfterAll
    static void stopJar() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void theJarsOwnPage_sameOrigin_getsTheGeneratedKeys() throws IOException {
        JsonNode defaults = get("127.0.0.1:" + jar.port, "Sec-Fetch-Site: same-origin");

        assertTrue(defaults.path("prefill").asBoolean(), defaults.toString());
        assertEquals(generalKey, defaults.path("api_key").asText());
        assertEquals(adminKey, defaults.path("admin_api_key").asText());
        assertEquals("acme", defaults.path("company_id").asText());
    }

    @Test
    void localhostAndIpv6LoopbackHosts_withAMatchingOrigin_orCurlWithNoOrigin_getTheKeys() throws IOException {
        assertTrue(get("localhost:" + jar.port, "Origin: http://localhost:" + jar.port).path("prefill").asBoolean());
        assertTrue(get("[::1]:" + jar.port, "Sec-Fetch-Site: none").path("prefill").asBoolean(), "typed in the address bar");
        assertTrue(get("127.0.0.1:" + jar.port).path("prefill").asBoolean(), "curl on this machine sends neither header");
    }

    @Test
    void dnsRebinding_aForeignHostName_getsNoKeys() throws IOException {
        JsonNode defaults = get("rebind.attacker.example:" + jar.port, "Sec-Fetch-Site: same-origin",
                "Origin: http://rebind.attacker.example:" + jar.port);

        assertNoKeys(defaults);
        assertTrue(defaults.path("prefill_refused").asText().contains("Host"), defaults.toString());
        assertNoKeys(get("rebind.attacker.example:" + jar.port));
        assertNoKeys(get("127.0.0.1.attacker.example:" + jar.port));
        assertNoKeys(get("localhost.attacker.example"));
    }

    @Test
    void aForeignOrigin_orACrossSiteFetch_getsNoKeys() throws IOException {
        JsonNode foreignOrigin = get("127.0.0.1:" + jar.port, "Origin: http://evil.example");
        assertNoKeys(foreignOrigin);
        assertTrue(foreignOrigin.path("prefill_refused").asText().contains("Origin"), foreignOrigin.toString());

        assertNoKeys(get("127.0.0.1:" + jar.port, "Origin: http://127.0.0.1:1"));
        assertNoKeys(get("127.0.0.1:" + jar.port, "Origin: null"));
        JsonNode crossSite = get("127.0.0.1:" + jar.port, "Sec-Fetch-Site: cross-site");
        assertNoKeys(crossSite);
        assertTrue(crossSite.path("prefill_refused").asText().contains("cross-site"), crossSite.toString());
        assertNoKeys(get("localhost:" + jar.port, "Sec-Fetch-Site: same-site"));
    }

    private static void assertNoKeys(JsonNode defaults) {
        assertFalse(defaults.path("prefill").asBoolean(), defaults.toString());
        assertFalse(defaults.has("api_key") || defaults.has("admin_api_key"), defaults.toString());
        assertFalse(defaults.toString().contains(generalKey) || defaults.toString().contains(adminKey), defaults.toString());
        assertFalse(defaults.path("prefill_refused").asText().isEmpty(), "the answer should say why: " + defaults);
    }

    /** GET /dashboard/defaults with exactly this Host and these extra header lines; the JSON body of a 200. */
    private static JsonNode get(String host, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", jar.port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("GET /dashboard/defaults HTTP/1.1\r\nHost: ").append(host)
                    .append("\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            // Until the body is complete by its Content-Length: the server may keep the connection open.
            String response = "";
            for (int n; all.size() < 65_536 && !complete(response) && (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                response = all.toString(StandardCharsets.UTF_8);
            }
            assertTrue(response.startsWith("HTTP/1.1 200"), "Host " + host + ": " + response);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            return GatewayHarness.json(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
        }
    }

    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                .matcher(response.substring(0, end));
        return length.find() && response.length() - end - 4 >= Integer.parseInt(length.group(1));
    }
}
