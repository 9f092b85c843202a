package io.relaymesh.adapters.nats;

import io.nats.client.api.DeliverPolicy;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBindings;

import java.util.List;
import java.util.Objects;

/**
 * One durable pull consumer, made from one inbound binding (nats-server 2.9 allows one filter
 * subject per consumer): its name suffix, filter subject and where it starts. The bindings are
 * configuration of the dialects, so a new subject form needs no change here.
 *
 * @param suffix        the binding's name, appended to the configured consumer name
 * @param filterSubject the binding's pattern with wildcards
 * @param deliverPolicy {@code All} or {@code LastPerSubject}, from the binding's start
 */
public record ConsumerKind(String suffix, String filterSubject, DeliverPolicy deliverPolicy) {
    public ConsumerKind {
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(filterSubject, "filterSubject");
        Objects.requireNonNull(deliverPolicy, "deliverPolicy");
    }

    /** The consumer for {@code binding}. */
    public static ConsumerKind of(SubjectBinding binding) {
        return new ConsumerKind(binding.name(), binding.filterSubject(), switch (binding.start()) {
            case ALL -> DeliverPolicy.All;
            case LAST_PER_SUBJECT -> DeliverPolicy.LastPerSubject;
        });
    }

    /** The consumers of {@code bindings}, all of one stream. */
    public static List<ConsumerKind> of(SubjectBindings bindings) {
        return bindings.all().stream().map(ConsumerKind::of).toList();
    }

    /** The durable name, e.g. {@code ws_fanout_chats} for the configured {@code ws_fanout}. */
    public String durableName(String consumerName) {
        return consumerName + "_" + suffix;
    }
}
