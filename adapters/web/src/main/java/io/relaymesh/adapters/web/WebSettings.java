package io.relaymesh.adapters.web;

import java.time.Duration;

/**
 * Settings of the web edge that need a restart to change.
 *
 * @param host            address to bind
 * @param port            HTTP/WebSocket port (0 = any free port)
 * @param maxConnections  WebSocket connections accepted before refusing with ServerFull/1013
 * @param maxTcpConnections TCP connections Helidon accepts; kept below the open-file limit so
 *                        accept() never fails (which would kill the listener)
 * @param maxFrameBytes   largest client frame
 * @param idleTimeout     Helidon's idle cut-off; longer than the pong wait, so live clients that
 *                        only receive (and answer pings) are never cut
 * @param idlePeriod      how often Helidon checks idleness
 * @param shutdownGrace   how long a stop waits for connections to close
 * @param dashboardsEnabled whether the browser pages are served
 */
public record WebSettings(String host, int port, int maxConnections, int maxTcpConnections, int maxFrameBytes,
                          Duration idleTimeout, Duration idlePeriod, Duration shutdownGrace,
                          boolean dashboardsEnabled) {
}
