package io.relaymesh.adapters.web.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Serves {@code /dashboard/user} and {@code /dashboard/admin}: two static pages (their scripts and
 * styles come from the static content under {@code /dashboard/assets/}). Each page goes out with a
 * content security policy that allows only this origin, so an injected script or a foreign socket
 * cannot read the keys typed into the page, and with no referrer, so no URL leaves the page.
 * Immutable after construction; thread-safe.
 */
public final class DashboardPages implements HttpService {
    // Host headers end up in a response header: letters, digits, dots, dashes, a port, IPv6 brackets.
    private static final Pattern SANE_HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");

    private final byte[] userPage;
    private final byte[] adminPage;

    public DashboardPages() {
        this.userPage = resource("web/dashboard/user.html");
        this.adminPage = resource("web/dashboard/admin.html");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/dashboard/user", (req, res) -> page(req, res, userPage))
                .get("/dashboard/admin", (req, res) -> page(req, res, adminPage))
                .get("/dashboard", (req, res) -> redirect(res, "/dashboard/user"))
                .get("/dashboard/", (req, res) -> redirect(res, "/dashboard/user"));
    }

    private static void page(ServerRequest req, ServerResponse res, byte[] body) {
        res.status(Status.OK_200);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8"));
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.header(HeaderValues.create("Content-Security-Policy", policy(req)));
        res.header(HeaderValues.create("Referrer-Policy", "no-referrer"));
        res.header(HeaderValues.create("X-Content-Type-Options", "nosniff"));
        res.header(HeaderValues.create("X-Frame-Options", "DENY"));
        res.send(body);
    }

    /** Only this origin, its own WebSocket endpoints included (older Firefox does not count ws: as 'self'). */
    static String policy(ServerRequest req) {
        String sockets = req.headers().first(HeaderNames.HOST)
                .filter(host -> SANE_HOST.matcher(host).matches())
                .map(host -> " ws://" + host + " wss://" + host)
                .orElse("");
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + sockets + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
    }

    private static void redirect(ServerResponse res, String location) {
        res.status(Status.FOUND_302);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardPages.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard page " + path, e);
        }
    }
}
