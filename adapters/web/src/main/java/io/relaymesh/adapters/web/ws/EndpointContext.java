package io.relaymesh.adapters.web.ws;

import io.relaymesh.adapters.web.limits.ClientLimits;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.port.IdGenerator;

import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * What every connection listener shares: the gateway use cases, the tracker, the writer threads
 * and settings.
 *
 * @param maxFrameBytes largest client frame accepted (larger gets BadRequest/4400)
 * @param origins the browser origins that may upgrade
 * @param limits        per-client caps on upgrades and connections
 */
public record EndpointContext(Gateway gateway, ConnectionTracker tracker, ExecutorService writers,
                              Supplier<WriterSettings> writerSettings, GatewayMetrics metrics, IdGenerator ids,
                              int maxFrameBytes, OriginPolicy origins, ClientLimits limits) {
}
