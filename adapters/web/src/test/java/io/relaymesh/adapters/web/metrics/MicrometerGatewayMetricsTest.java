package io.relaymesh.adapters.web.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What /metrics shows: series that dashboards and alerts need exist at zero before anything happens. */
class MicrometerGatewayMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);

    @Test
    void everyDropReason_takeoverKind_andStateOperation_isExportedAtZero_beforeItFirstHappens() {
        String text = registry.scrape();

        for (String reason : MicrometerGatewayMetrics.DROP_REASONS) {
            assertSeries(text, "relaymesh_websocket_messages_dropped_total{reason=\"" + reason + "\"} 0.0");
        }
        for (String how : MicrometerGatewayMetrics.TAKEOVERS) {
            assertSeries(text, "relaymesh_session_takeovers_total{how=\"" + how + "\"} 0.0");
        }
        for (String operation : MicrometerGatewayMetrics.STATE_OPERATIONS) {
            assertSeries(text, "relaymesh_state_errors_total{operation=\"" + operation + "\"} 0.0");
        }
    }

    @Test
    void aPreRegisteredSeries_countsItsFirstOccurrence_asAnIncreaseFromZero() {
        metrics.sessionTakeover("dead_pod");
        metrics.stateError("route_refresh");
        metrics.stateError("route_refresh");

        String text = registry.scrape();

        assertSeries(text, "relaymesh_session_takeovers_total{how=\"dead_pod\"} 1.0");
        assertSeries(text, "relaymesh_state_errors_total{operation=\"route_refresh\"} 2.0");
        assertSeries(text, "relaymesh_state_errors_total{operation=\"session_lock\"} 0.0");
    }

    @Test
    void anUnforeseenLabelValue_stillGetsItsOwnSeries() {
        metrics.sessionTakeover("something_new");

        assertSeries(registry.scrape(), "relaymesh_session_takeovers_total{how=\"something_new\"} 1.0");
    }

    private static void assertSeries(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), "no line '" + line + "' in:\n" + text);
    }
}
