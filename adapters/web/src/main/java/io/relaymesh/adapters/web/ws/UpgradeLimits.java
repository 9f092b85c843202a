package io.relaymesh.adapters.web.ws;

import io.helidon.websocket.WsSession;
import io.relaymesh.adapters.web.limits.ClientErrorLog;
import io.relaymesh.adapters.web.limits.ClientLimits;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The per-IP caps every WebSocket upgrade meets, whatever its protocol: the upgrade rate, and,
 * behind a trusted proxy, the open WebSockets of the client IP the proxy names (a direct peer's
 * connections are capped when accepted). One instance per connection; not thread-safe (the
 * connection's open and cleanup run one after the other).
 */
public final class UpgradeLimits {
    private final ClientLimits limits;
    private String countedIp;

    public UpgradeLimits(ClientLimits limits) {
        this.limits = limits;
    }

    /** Null when within the caps, else what was exceeded (for the client's error frame). */
    public String check(WsSession ws, List<String> forwardedFor) {
        String peer = peerOf(ws);
        if (peer == null) {
            return null;
        }
        String ip = limits.clientIp(peer, forwardedFor);
        if (!limits.allowUpgrade(ip)) {
            ClientErrorLog.shared().log("refused a WebSocket upgrade from " + ip + ": over "
                    + limits.settings().upgradesPerSecond() + " per second (server.upgrades_per_ip_per_second)");
            return "too many WebSocket connection attempts from your address (at most "
                    + limits.settings().upgradesPerSecond() + " per second, server.upgrades_per_ip_per_second); "
                    + "retry later";
        }
        if (!limits.countsByPeer(peer)) {
            if (!limits.tryOpen(ip)) {
                return "too many open connections from your address (at most "
                        + limits.settings().maxConnectionsPerIp() + ", server.max_connections_per_ip)";
            }
            countedIp = ip;
        }
        return null;
    }

    /** Gives back the connection counted for its client IP, if one was. Idempotent. */
    public void release() {
        String ip = countedIp;
        countedIp = null;
        if (ip != null) {
            limits.release(ip);
        }
    }

    private static String peerOf(WsSession ws) {
        if (ws instanceof io.helidon.webserver.websocket.WsConnection helidon
                && helidon.socketContext().remotePeer().address() instanceof InetSocketAddress address
                && address.getAddress() != null) {
            return address.getAddress().getHostAddress();
        }
        return null;
    }
}
