package io.relaymesh.bootstrap.wiring;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.application.stats.PodActivity;
import io.relaymesh.domain.model.PodId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-peer forwarding series as /metrics shows them. */
class MicrometerForwarderListenerTest {
    private static final PodId PEER = new PodId("pod-b");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerForwarderListener listener = new MicrometerForwarderListener(registry, new PodActivity());

    @Test
    void anAddedPeer_hasAClosedCircuit_andZeroCounters_beforeAnythingHappens() {
        assertFalse(registry.scrape().contains("peer=\"pod-b\""), "no series before the peer is added");

        listener.peerAdded(PEER);

        String text = registry.scrape();
        assertSeries(text, "relaymesh_grpc_circuit_state{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_forward_failures_total{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_messages_sent_total{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_forward_retry_attempts_total{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_stream_opens_total{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_warmups_total{peer=\"pod-b\"} 0.0");
    }

    @Test
    void aWarmUp_andEachStreamOpened_areCounted() {
        listener.peerAdded(PEER);

        listener.peerWarmed(PEER);
        listener.streamOpened(PEER);
        listener.streamOpened(PEER); // reopened after the first one broke

        String text = registry.scrape();
        assertSeries(text, "relaymesh_grpc_warmups_total{peer=\"pod-b\"} 1.0");
        assertSeries(text, "relaymesh_grpc_stream_opens_total{peer=\"pod-b\"} 2.0");
    }

    @Test
    void anOpenCircuit_isTwo_andAPeerAddedAgainAfterwards_startsClosed() {
        listener.peerAdded(PEER);
        listener.circuitChanged(PEER, "open");
        listener.batchFailed(PEER, new RuntimeException("refused"));
        assertSeries(registry.scrape(), "relaymesh_grpc_circuit_state{peer=\"pod-b\"} 2.0");

        listener.peerAdded(PEER); // its idle lane was retired; the new one has a new, closed circuit

        String text = registry.scrape();
        assertSeries(text, "relaymesh_grpc_circuit_state{peer=\"pod-b\"} 0.0");
        assertSeries(text, "relaymesh_grpc_forward_failures_total{peer=\"pod-b\"} 1.0");
    }

    private static void assertSeries(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), "no line '" + line + "' in:\n" + text);
    }
}
