package io.relaymesh.bootstrap.wiring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.application.dialect.mailbox.Mailbox;
import io.relaymesh.application.dialect.mailbox.MailboxMetrics;

/**
 * The seed's metrics under the seed's names ({@code connections_current},
 * {@code messages_received_total}, {@code messages_persisted_total}, {@code messages_delivered_total},
 * {@code messages_expired_total}, {@code store_errors_total}), labelled {@code dialect="mailbox"} so
 * they never clash with another dialect's. Thread-safe.
 */
final class MicrometerMailboxMetrics implements MailboxMetrics {
    private static final String DIALECT = "dialect";
    private final Counter received;
    private final Counter persisted;
    private final Counter delivered;
    private final Counter expired;
    private final Counter storeErrors;

    MicrometerMailboxMetrics(MeterRegistry registry) {
        received = counter(registry, "messages_received", "Sends received (clients and backends)");
        persisted = counter(registry, "messages_persisted", "Messages stored durably");
        delivered = counter(registry, "messages_delivered", "Messages written to recipients (pushed, replayed or pulled)");
        expired = counter(registry, "messages_expired", "Expired messages removed by the sweeper");
        storeErrors = counter(registry, "store_errors", "Operations of the message store that failed");
    }

    /** {@code connections_current}: the mailbox connections of this pod. */
    static void connections(MeterRegistry registry, Mailbox mailbox) {
        Gauge.builder("connections_current", mailbox, Mailbox::connections).tag(DIALECT, "mailbox")
                .description("Current number of mailbox WebSocket connections").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).tag(DIALECT, "mailbox").description(description).register(registry);
    }

    @Override
    public void received() {
        received.increment();
    }

    @Override
    public void persisted() {
        persisted.increment();
    }

    @Override
    public void delivered(int count) {
        if (count > 0) {
            delivered.increment(count);
        }
    }

    @Override
    public void expired(int count) {
        if (count > 0) {
            expired.increment(count);
        }
    }

    @Override
    public void storeError() {
        storeErrors.increment();
    }
}
