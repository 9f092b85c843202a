package io.relaymesh.adapters.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.relaymesh.domain.model.SubjectBindings;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.relaymesh.domain.error.PortUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Creates the stream and one durable pull consumer per inbound binding when missing, and brings existing ones
 * in line with the settings where JetStream allows it (logging every difference). Whatever was
 * sent, the result is read back: nats-server 2.9 silently drops options it does not know.
 * Idempotent and safe to run from several pods at once. Thread-safe.
 */
public final class JetStreamProvisioner {
    private static final Logger log = LoggerFactory.getLogger(JetStreamProvisioner.class);

    /** JetStream API error codes (nats-server {@code errors.json}). */
    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;

    private final JetStreamManagement management;
    private volatile NatsSettings settings;
    private final SubjectBindings bindings;
    private final List<ConsumerKind> kinds;

    /**
     * @param settings the stream's settings: one provisioner per stream (the primary stream, and
     *                 the dialects' stream when a dialect has subjects)
     * @param bindings the inbound bindings of that stream: one durable consumer each
     */
    private volatile String epoch;

    public JetStreamProvisioner(JetStreamManagement management, NatsSettings settings, SubjectBindings bindings) {
        this.management = Objects.requireNonNull(management, "management");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.kinds = ConsumerKind.of(bindings);
    }

    /** The consumers this provisions, one per binding. */
    public List<ConsumerKind> kinds() {
        return kinds;
    }

    public SubjectBindings bindings() {
        return bindings;
    }

    /** The settings of the stream this provisions (its name and subjects). */
    public NatsSettings settings() {
        return settings;
    }

    /** What the server holds after provisioning, as read back from it. */
    public record Provisioned(StreamInfo stream, Map<ConsumerKind, ConsumerInfo> consumers) {
        public Provisioned {
            consumers = Collections.unmodifiableMap(new LinkedHashMap<>(consumers));
        }
    }

    /**
     * Ensures the stream, then one consumer per binding.
     *
     * @throws PortUnavailableException when NATS does not answer
     * @throws JetStreamSetupException  when an existing stream or consumer cannot be made to fit
     */
    public Provisioned provision() {
        StreamInfo stream = ensureStream();
        Map<ConsumerKind, ConsumerInfo> consumers = new LinkedHashMap<>();
        for (ConsumerKind kind : kinds) {
            consumers.put(kind, ensureConsumer(kind));
        }
        return new Provisioned(stream, consumers);
    }

    /**
     * The epoch of positions in this stream ({@code <stream>.<creation time, base 36>}): a stream
     * deleted and made again starts its sequence over, and positions of the old one must not be
     * read as positions in the new one. Null until {@link #ensureStream} ran.
     */
    public String epoch() {
        return epoch;
    }

    static String epochOf(StreamInfo info) {
        java.time.ZonedDateTime created = info.getCreateTime();
        long millis = created == null ? 0 : created.toInstant().toEpochMilli();
        return info.getConfiguration().getName() + "." + Long.toString(millis, 36);
    }

    /** Creates the stream or updates what may be updated; returns it as read back. */
    public StreamInfo ensureStream() {
        String name = settings.streamName();
        try {
            StreamInfo existing = streamInfoOrNull(name);
            if (existing == null) {
                try {
                    management.addStream(desiredStream());
                    log.info("Created JetStream stream {} (subjects {}, file storage)", name, settings.streamSubjects());
                } catch (JetStreamApiException e) {
                    // Another pod may have created it in the meantime: validate what is there.
                    existing = streamInfoOrNull(name);
                    if (existing == null) {
                        throw new JetStreamSetupException(name, "cannot create stream " + name + ": " + e.getMessage(), e);
                    }
                    reconcileStream(existing.getConfiguration());
                }
            } else {
                reconcileStream(existing.getConfiguration());
            }
            StreamInfo readBack = management.getStreamInfo(name);
            epoch = epochOf(readBack);
            List<String> missing = missingFromStream(readBack.getConfiguration());
            if (!missing.isEmpty()) {
                log.warn("JetStream stream {} still differs after provisioning (the server may not support it): {}",
                        name, String.join("; ", missing));
            }
            return readBack;
        } catch (IOException e) {
            throw unavailable("provisioning stream " + name, e);
        } catch (JetStreamApiException e) {
            throw new JetStreamSetupException(name, "cannot provision stream " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the durable consumer of {@code kind} or updates its mutable settings; returns it as
     * read back. Also used to recreate a consumer deleted while pods run.
     */
    public ConsumerInfo ensureConsumer(ConsumerKind kind) {
        String durable = kind.durableName(settings.consumerName());
        String stream = settings.streamName();
        try {
            ConsumerInfo existing = consumerInfoOrNull(durable);
            ConsumerConfiguration desired = desiredConsumer(kind);
            if (existing == null) {
                if (streamInfoOrNull(stream) == null) {
                    log.warn("JetStream stream {} is missing while provisioning consumer {}; creating it", stream,
                            durable);
                    ensureStream();
                }
                management.addOrUpdateConsumer(stream, desired);
                log.info("Created JetStream consumer {} on {} (filter {}, deliver {}, ack wait {}, max deliver {})",
                        durable, stream, kind.filterSubject(), kind.deliverPolicy(), settings.ackWait(),
                        settings.maxDeliver());
            } else {
                reconcileConsumer(kind, existing.getConsumerConfiguration(), desired);
            }
            ConsumerInfo readBack = management.getConsumerInfo(stream, durable);
            List<String> differences = consumerDifferences(kind, readBack.getConsumerConfiguration(), desired);
            if (!differences.isEmpty()) {
                log.warn("JetStream consumer {} still differs after provisioning: {}", durable,
                        String.join("; ", differences));
            }
            return readBack;
        } catch (IOException e) {
            throw unavailable("provisioning consumer " + durable, e);
        } catch (JetStreamApiException e) {
            throw new JetStreamSetupException(durable, "cannot provision consumer " + durable + " on " + stream + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the durable consumer of {@code kind} exists (false when the stream is gone too). */
    public boolean consumerExists(ConsumerKind kind) {
        try {
            return consumerInfoOrNull(kind.durableName(settings.consumerName())) != null;
        } catch (IOException e) {
            throw unavailable("looking up consumer " + kind.durableName(settings.consumerName()), e);
        } catch (JetStreamApiException e) {
            throw new JetStreamSetupException(kind.durableName(settings.consumerName()), e.getMessage(), e);
        }
    }

    /** JetStream's max_bytes: -1 for unlimited (the setting's 0). */
    private static long maxBytes(NatsSettings settings) {
        return settings.streamMaxBytes() == 0 ? -1 : settings.streamMaxBytes();
    }

    /**
     * Applies new retention limits (a config reload): the stream is updated at once; events older
     * or beyond the size go. Throws like {@link #ensureStream} when the server refuses.
     */
    public void applyRetention(Duration maxAge, long maxBytes) {
        settings = settings.toBuilder().streamMaxAge(maxAge).streamMaxBytes(maxBytes)
                .duplicateWindow(NatsSettings.builder(settings.url()).build().duplicateWindow()).build();
        ensureStream();
    }

    StreamConfiguration desiredStream() {
        StreamConfiguration.Builder builder = StreamConfiguration.builder()
                .name(settings.streamName())
                .description("Relaymesh events for WebSocket delivery")
                .subjects(settings.streamSubjects())
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.Old)
                .duplicateWindow(settings.duplicateWindow())
                .maxAge(settings.streamMaxAge())
                .maxBytes(maxBytes(settings));
        return builder.build();
    }

    ConsumerConfiguration desiredConsumer(ConsumerKind kind) {
        ConsumerConfiguration.Builder builder = ConsumerConfiguration.builder()
                .durable(kind.durableName(settings.consumerName()))
                .description("Relaymesh fan-out of " + kind.filterSubject())
                .filterSubject(kind.filterSubject())
                .deliverPolicy(kind.deliverPolicy())
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(settings.ackWait())
                .maxDeliver(settings.maxDeliver())
                .maxAckPending(settings.maxAckPending())
                .replayPolicy(ReplayPolicy.Instant);
        if (!settings.redeliveryBackoff().isEmpty()) {
            builder.backoff(settings.redeliveryBackoff().toArray(Duration[]::new));
        }
        return builder.build();
    }

    /**
     * Adds missing subjects and aligns the duplicate window (and the max age when configured);
     * storage and retention cannot change on a live stream and are only reported.
     */
    private void reconcileStream(StreamConfiguration current) throws IOException, JetStreamApiException {
        String name = settings.streamName();
        List<String> differences = missingFromStream(current);
        if (current.getStorageType() != StorageType.File) {
            log.warn("JetStream stream {} uses {} storage, not file: events do not survive a server restart; left as is",
                    name, current.getStorageType());
        }
        if (current.getRetentionPolicy() != RetentionPolicy.Limits) {
            log.warn("JetStream stream {} has {} retention, not limits; left as is", name,
                    current.getRetentionPolicy());
        }
        if (differences.isEmpty()) {
            log.info("JetStream stream {} exists and matches the settings", name);
            return;
        }
        log.info("JetStream stream {} differs from the settings, updating: {}", name, String.join("; ", differences));
        Set<String> subjects = new LinkedHashSet<>(current.getSubjects());
        subjects.addAll(settings.streamSubjects());
        StreamConfiguration.Builder update = StreamConfiguration.builder(current)
                .subjects(new ArrayList<>(subjects))
                .duplicateWindow(settings.duplicateWindow())
                .maxAge(settings.streamMaxAge())
                .maxBytes(maxBytes(settings));
        management.updateStream(update.build());
    }

    private List<String> missingFromStream(StreamConfiguration current) {
        List<String> differences = new ArrayList<>();
        List<String> missing = settings.streamSubjects().stream()
                .filter(subject -> !current.getSubjects().contains(subject))
                .toList();
        if (!missing.isEmpty()) {
            differences.add("subjects " + current.getSubjects() + " lack " + missing);
        }
        if (!Objects.equals(current.getDuplicateWindow(), settings.duplicateWindow())) {
            differences.add("duplicate_window " + current.getDuplicateWindow() + " -> " + settings.duplicateWindow());
        }
        if (!Objects.equals(current.getMaxAge(), settings.streamMaxAge())) {
            differences.add("max_age " + current.getMaxAge() + " -> " + settings.streamMaxAge());
        }
        if (current.getMaxBytes() != maxBytes(settings)) {
            differences.add("max_bytes " + current.getMaxBytes() + " -> " + maxBytes(settings));
        }
        return differences;
    }

    /**
     * Updates ack wait, max deliver, max ack pending and back-off in place. A push consumer, another
     * filter or another ack policy cannot be changed on nats-server 2.9: that is a setup error, since
     * consuming from it would deliver the wrong events or none.
     */
    private void reconcileConsumer(ConsumerKind kind, ConsumerConfiguration current, ConsumerConfiguration desired)
            throws IOException, JetStreamApiException {
        String durable = desired.getDurable();
        if (current.getDeliverSubject() != null) {
            throw new JetStreamSetupException(durable, "consumer " + durable + " on " + settings.streamName()
                    + " is a push consumer (deliver subject " + current.getDeliverSubject() + "); Relaymesh needs a"
                    + " pull consumer: delete it or choose another nats.consumer_name");
        }
        if (!kind.filterSubject().equals(current.getFilterSubject())) {
            throw new JetStreamSetupException(durable, "consumer " + durable + " filters '" + current.getFilterSubject()
                    + "', expected '" + kind.filterSubject() + "': delete it or choose another nats.consumer_name");
        }
        if (current.getAckPolicy() != AckPolicy.Explicit) {
            throw new JetStreamSetupException(durable, "consumer " + durable + " has ack policy "
                    + current.getAckPolicy() + ", expected explicit: delete it or choose another nats.consumer_name");
        }
        if (current.getDeliverPolicy() != kind.deliverPolicy()) {
            log.warn("JetStream consumer {} delivers {} instead of {}; the start position cannot change, left as is",
                    durable, current.getDeliverPolicy(), kind.deliverPolicy());
        }
        List<String> differences = consumerDifferences(kind, current, desired);
        if (differences.isEmpty()) {
            log.info("JetStream consumer {} exists and matches the settings", durable);
            return;
        }
        log.info("JetStream consumer {} differs from the settings, updating: {}", durable,
                String.join("; ", differences));
        ConsumerConfiguration update = ConsumerConfiguration.builder(desired)
                .deliverPolicy(current.getDeliverPolicy())
                .startSequence(current.getStartSequence())
                .startTime(current.getStartTime())
                .build();
        management.addOrUpdateConsumer(settings.streamName(), update);
    }

    /** The mutable settings that differ (deliver policy and filter are checked separately). */
    private List<String> consumerDifferences(ConsumerKind kind, ConsumerConfiguration current,
                                             ConsumerConfiguration desired) {
        List<String> differences = new ArrayList<>();
        // With a back-off the server takes its first value as the ack wait.
        Duration expectedAckWait = desired.getBackoff().isEmpty() ? desired.getAckWait() : desired.getBackoff().get(0);
        if (!Objects.equals(current.getAckWait(), expectedAckWait)) {
            differences.add("ack_wait " + current.getAckWait() + " -> " + expectedAckWait);
        }
        if (current.getMaxDeliver() != desired.getMaxDeliver()) {
            differences.add("max_deliver " + current.getMaxDeliver() + " -> " + desired.getMaxDeliver());
        }
        if (current.getMaxAckPending() != desired.getMaxAckPending()) {
            differences.add("max_ack_pending " + current.getMaxAckPending() + " -> " + desired.getMaxAckPending());
        }
        if (!current.getBackoff().equals(desired.getBackoff())) {
            differences.add("backoff " + current.getBackoff() + " -> " + desired.getBackoff());
        }
        if (!kind.filterSubject().equals(current.getFilterSubject())) {
            differences.add("filter " + current.getFilterSubject() + " -> " + kind.filterSubject());
        }
        return differences;
    }

    private StreamInfo streamInfoOrNull(String name) throws IOException, JetStreamApiException {
        try {
            return management.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private ConsumerInfo consumerInfoOrNull(String durable) throws IOException, JetStreamApiException {
        try {
            return management.getConsumerInfo(settings.streamName(), durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND || e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private PortUnavailableException unavailable(String what, IOException e) {
        return new PortUnavailableException("nats", what + " on " + settings.displayUrl() + " failed: " + e.getMessage(), e);
    }
}
