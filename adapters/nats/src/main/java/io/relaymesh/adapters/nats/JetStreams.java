package io.relaymesh.adapters.nats;

import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBindings;
import io.relaymesh.domain.port.EventSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The streams the gateway consumes: the primary protocol's (configured {@code nats.stream_name},
 * subjects {@code nats} settings) and, when a dialect has inbound subjects, the dialects' own
 * stream {@value #DIALECTS_STREAM} holding exactly those subjects (DESIGN.md, "Dialects"). Each
 * has its provisioner and its event source; the consumers of both feed one handler. Thread-safe.
 */
public final class JetStreams implements EventSource {
    /** The dialects' stream (DESIGN.md fixes the name). */
    public static final String DIALECTS_STREAM = "relaymesh_dialects";

    private final List<JetStreamProvisioner> provisioners = new ArrayList<>();
    private final List<JetStreamEventSource> sources = new ArrayList<>();
    private final String primaryStream;

    /**
     * @param terminated told the reason each time a malformed message is dropped for good
     */
    public JetStreams(NatsConnections nats, SubjectBindings bindings, Consumer<String> terminated) {
        Objects.requireNonNull(bindings, "bindings");
        NatsSettings primary = nats.settings();
        this.primaryStream = primary.streamName();
        add(nats, primary, new SubjectBindings(bindings.in(SubjectBinding.Stream.PRIMARY)), terminated);
        List<SubjectBinding> dialects = bindings.in(SubjectBinding.Stream.DIALECTS);
        if (!dialects.isEmpty()) {
            NatsSettings settings = primary.toBuilder().streamName(DIALECTS_STREAM)
                    .streamSubjects(dialects.stream().map(SubjectBinding::filterSubject).distinct().toList()).build();
            add(nats, settings, new SubjectBindings(dialects), terminated);
        }
    }

    private void add(NatsConnections nats, NatsSettings settings, SubjectBindings bindings, Consumer<String> terminated) {
        JetStreamProvisioner provisioner = new JetStreamProvisioner(nats.management(), settings, bindings);
        provisioners.add(provisioner);
        sources.add(new JetStreamEventSource(nats, provisioner, terminated));
    }

    /** Creates or checks every stream and its consumers; returns what the server holds. */
    public List<JetStreamProvisioner.Provisioned> provision() {
        return provisioners.stream().map(JetStreamProvisioner::provision).toList();
    }

    /** New retention limits for every stream (a config reload); see {@link JetStreamProvisioner#applyRetention}. */
    public void applyRetention(java.time.Duration maxAge, long maxBytes) {
        provisioners.forEach(p -> p.applyRetention(maxAge, maxBytes));
    }

    /** Every stream's provisioner: the primary one first, then the dialects' (when a dialect has subjects). */
    public List<JetStreamProvisioner> all() {
        return List.copyOf(provisioners);
    }

    /** The primary stream's provisioner (its consumers' backlog is reported). */
    public JetStreamProvisioner primary() {
        return provisioners.getFirst();
    }

    /** The stream that must store {@code subject}: the dialects' stream for a dialect subject. */
    public String streamOf(String subject) {
        for (JetStreamProvisioner provisioner : provisioners) {
            if (provisioner.bindings().resolve(subject) instanceof SubjectBindings.Resolved.Ok) {
                return provisioner.settings().streamName();
            }
        }
        return primaryStream;
    }

    @Override
    public void start(Consumer<Inbound> handler) {
        sources.forEach(source -> source.start(handler));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (JetStreamEventSource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
