package io.relaymesh.adapters.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.EventHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster's history is the primary JetStream stream itself: a position is
 * {@code <stream epoch>:<stream sequence>}, and what a client missed for its route keys is read
 * back with one short-lived consumer per subject filter of its keys (nats-server 2.9 takes one
 * filter per consumer), from the sequence after its position up to what the stream held when
 * asked. Envelopes come out as the live path decodes them, in stream order, each once. A position
 * of another epoch, older than the stream's first retained message, or ahead of its last one is a
 * gap. Thread-safe.
 */
public final class JetStreamEventHistory implements EventHistory {
    private static final Logger log = LoggerFactory.getLogger(JetStreamEventHistory.class);
    private static final int FETCH_BATCH = 256;
    private static final Duration FETCH_WAIT = Duration.ofSeconds(2);
    /** A replay consumer left behind (the pod died mid-replay) is removed by the server after this. */
    private static final Duration INACTIVE = Duration.ofSeconds(30);

    private final NatsConnections nats;
    private final List<JetStreamProvisioner> streams;

    public JetStreamEventHistory(NatsConnections nats, JetStreamProvisioner stream) {
        this(nats, List.of(stream));
    }

    /** Over several streams (the primary one and the dialects'): a position's epoch names its stream. */
    public JetStreamEventHistory(NatsConnections nats, List<JetStreamProvisioner> streams) {
        this.nats = Objects.requireNonNull(nats, "nats");
        this.streams = List.copyOf(streams);
    }

    @Override
    public Replay after(List<RouteKey> keys, String position, int max) {
        Position since = EventHistory.parse(position);
        if (since == null) {
            return new Replay.Gap("\"" + position + "\" is not a position");
        }
        JetStreamProvisioner stream = null;
        for (JetStreamProvisioner candidate : streams) {
            if (since.epoch().equals(candidate.epoch())) {
                stream = candidate;
            }
        }
        if (stream == null) {
            return new Replay.Gap("position " + position + " is from another stream (now "
                    + streams.stream().map(JetStreamProvisioner::epoch).toList() + ")");
        }
        JetStreamProvisioner chosen = stream;
        String epoch = chosen.epoch();
        EventDecoder decoder = new EventDecoder(chosen.bindings());
        String name = stream.settings().streamName();
        StreamState state;
        try {
            state = nats.management().getStreamInfo(name).getStreamState();
        } catch (IOException | JetStreamApiException e) {
            log.warn("Cannot read the state of stream {} to resume from {}: {}", name, position, e.getMessage());
            return new Replay.Gap("the event stream could not be read (" + e.getMessage() + ")");
        }
        long last = state.getLastSequence();
        if (since.sequence() > last) {
            return new Replay.Gap("position " + position + " is ahead of the stream (last " + last + ")");
        }
        if (since.sequence() + 1 < state.getFirstSequence()) {
            return new Replay.Gap("events after " + position + " are past retention (the stream starts at "
                    + state.getFirstSequence() + ")");
        }
        if (since.sequence() == last) {
            return new Replay.Recovered(List.of());
        }
        Set<String> filters = new LinkedHashSet<>();
        keys.forEach(key -> filters.addAll(chosen.bindings().filtersFor(key)));
        TreeMap<Long, Envelope> found = new TreeMap<>();
        for (String filter : filters) {
            String problem = read(decoder, name, filter, since.sequence() + 1, last, epoch, max, found);
            if (problem != null) {
                return new Replay.Gap(problem);
            }
        }
        return new Replay.Recovered(new ArrayList<>(found.values()));
    }

    /** Reads {@code filter} from {@code from} to {@code last} into {@code found}; a problem, or null. */
    private String read(EventDecoder decoder, String name, String filter, long from, long last, String epoch, int max,
                        TreeMap<Long, Envelope> found) {
        ConsumerConfiguration config = ConsumerConfiguration.builder().filterSubject(filter)
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from).ackPolicy(AckPolicy.None)
                .inactiveThreshold(INACTIVE).build();
        JetStreamSubscription sub = null;
        try {
            sub = nats.jetStream().subscribe(filter, PullSubscribeOptions.builder().stream(name).configuration(config)
                    .build());
            long pending = sub.getConsumerInfo().getNumPending();
            long seen = 0;
            while (seen < pending) {
                List<Message> batch = sub.fetch((int) Math.min(FETCH_BATCH, pending - seen), FETCH_WAIT);
                if (batch.isEmpty()) {
                    return "the event stream did not hand back " + (pending - seen) + " event(s) of " + filter;
                }
                for (Message message : batch) {
                    seen++;
                    NatsJetStreamMetaData meta = message.metaData();
                    if (meta.streamSequence() > last) {
                        return null; // published after we asked: it reaches the client live
                    }
                    if (decoder.decode(message.getSubject(), message.getData(), message.getHeaders(), name,
                            meta.streamSequence(), meta.timestamp().toInstant().toEpochMilli(), epoch)
                            instanceof EventDecoder.Decoded.Ok ok) {
                        found.put(meta.streamSequence(), ok.envelope());
                        if (found.size() > max) {
                            return "more than " + max + " events were missed (app.resume_max_events)";
                        }
                    }
                }
            }
            return null;
        } catch (IOException | JetStreamApiException e) {
            log.warn("Cannot replay {} from sequence {}: {}", filter, from, e.getMessage());
            return "the event stream could not be read (" + e.getMessage() + ")";
        } finally {
            if (sub != null) {
                try {
                    sub.unsubscribe();
                } catch (RuntimeException ignored) {
                    // The server removes it after INACTIVE anyway.
                }
            }
        }
    }
}
