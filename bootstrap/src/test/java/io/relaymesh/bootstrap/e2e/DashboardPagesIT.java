package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard pages as HTTP sees them: headers that keep keys in the page, and no missing file. */
class DashboardPagesIT {
    private static final Pattern PAGE_ASSET = Pattern.compile("(?:src|href)=\"(/dashboard/assets/[^\"]+)\"");
    private static final Pattern MODULE_IMPORT = Pattern.compile("(?:from|import\\()\\s*'\\./([a-z-]+\\.js)'");

    @Test
    void bothPages_areServedWithASameOriginPolicyAndNoReferrer() {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            for (String page : new String[]{"/dashboard/user", "/dashboard/admin"}) {
                HttpResponse<String> response = gateway.get(page);
                assertEquals(200, response.statusCode(), page);
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page);
                String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(policy.contains("default-src 'self'") && policy.contains("script-src 'self'"), policy);
                assertTrue(policy.contains("connect-src 'self' ws://127.0.0.1:" + gateway.port()), policy);
                assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""));
                assertTrue(response.body().contains("/dashboard/assets/dashboard.css"), page);
            }
            String index = gateway.get("/").body();
            assertTrue(index.contains("href=\"/dashboard/user\"") && index.contains("href=\"/dashboard/admin\""), index);
        }
    }

    @Test
    void everyScriptAndStyleThePagesLoad_isServedWithItsType() {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            Deque<String> pending = new ArrayDeque<>();
            for (String page : new String[]{"/dashboard/user", "/dashboard/admin"}) {
                Matcher m = PAGE_ASSET.matcher(gateway.get(page).body());
                while (m.find()) {
                    pending.add(m.group(1));
                }
            }
            Set<String> seen = new HashSet<>();
            while (!pending.isEmpty()) {
                String path = pending.poll();
                if (!seen.add(path)) {
                    continue;
                }
                HttpResponse<String> response = gateway.get(path);
                assertEquals(200, response.statusCode(), path + " (loaded by a dashboard) is missing");
                String type = response.headers().firstValue("Content-Type").orElse("");
                assertTrue(path.endsWith(".css") ? type.startsWith("text/css") : type.contains("javascript"),
                        path + " is served as " + type);
                if (path.endsWith(".js")) {
                    Matcher imports = MODULE_IMPORT.matcher(response.body());
                    while (imports.find()) {
                        pending.add(path.substring(0, path.lastIndexOf('/') + 1) + imports.group(1));
                    }
                }
            }
            assertTrue(seen.size() > 10, "the pages and their modules: " + seen);
        }
    }

    @Test
    void dashboardsDisabled_noPagesNoAssets() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of("RELAYMESH_SERVER_DASHBOARDS_ENABLED", "false"))) {
            assertEquals(404, gateway.get("/dashboard/user").statusCode());
            assertEquals(404, gateway.get("/dashboard/admin").statusCode());
            assertEquals(404, gateway.get("/dashboard/assets/js/user.js").statusCode());
            assertEquals(200, gateway.get("/health").statusCode());
        }
    }
}
