package io.relaymesh.adapters.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backlog of each durable consumer, for metrics: read from the consumer info by
 * {@link #refresh()} (bootstrap calls it every few seconds), and kept, so a scrape reads memory only. Polled on purpose
 * rather than taken from the pending count in each message's metadata: when consumption stalls,
 * which is when a backlog matters, no message arrives to update that count. Every pod reads the
 * same shared consumers, so every pod reports the same numbers (aggregate them with max, not sum).
 * A consumer whose info cannot be read (NATS down) has no value until a read works again: a stale
 * number would look current. Thread-safe.
 */
public final class JetStreamBacklog {
    private static final Logger log = LoggerFactory.getLogger(JetStreamBacklog.class);

    /**
     * @param pending    messages in the stream the consumer has not delivered yet ({@code num_pending})
     * @param ackPending messages delivered and not settled yet ({@code num_ack_pending})
     */
    public record Backlog(long pending, long ackPending) {
        public Backlog {
            if (pending < 0 || ackPending < 0) {
                throw new IllegalArgumentException("negative backlog: " + pending + ", " + ackPending);
            }
        }
    }

    private final NatsConnections nats;
    private final List<String> consumers;
    private final Map<String, Backlog> latest = new ConcurrentHashMap<>();
    private volatile boolean failing;

    public JetStreamBacklog(NatsConnections nats, List<ConsumerKind> kinds) {
        this.nats = Objects.requireNonNull(nats, "nats");
        String name = nats.settings().consumerName();
        this.consumers = kinds.stream().map(kind -> kind.durableName(name)).toList();
    }

    /** The durable names this reads, e.g. {@code ws_fanout_chats}. */
    public List<String> consumers() {
        return consumers;
    }

    /** The last backlog read for {@code consumer}, or empty when none was read or the last read failed. */
    public Optional<Backlog> of(String consumer) {
        return Optional.ofNullable(latest.get(consumer));
    }

    /** Reads every consumer's info now; blocks up to the request timeout per consumer. */
    public void refresh() {
        String problem = null;
        for (String consumer : consumers) {
            try {
                if (!nats.isConnected()) {
                    throw new IOException("not connected to NATS");
                }
                ConsumerInfo info = nats.management().getConsumerInfo(nats.settings().streamName(), consumer);
                latest.put(consumer, new Backlog(info.getNumPending(), info.getNumAckPending()));
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                latest.remove(consumer);
                problem = consumer + ": " + e.getMessage();
            }
        }
        // Logged once per outage, not once per read.
        if (problem != null && !failing) {
            log.warn("Cannot read the JetStream consumers' backlog ({}); the metric is empty until it can", problem);
        } else if (problem == null && failing) {
            log.info("Reading the JetStream consumers' backlog works again");
        }
        failing = problem != null;
    }


}
