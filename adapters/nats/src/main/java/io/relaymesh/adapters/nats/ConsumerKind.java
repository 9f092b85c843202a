package io.relaymesh.adapters.nats;

import io.nats.client.api.DeliverPolicy;
import io.relaymesh.domain.model.EventSubject;

/**
 * The three durable consumers, one per subject form: nats-server 2.9 allows one filter subject per
 * consumer. {@code chats} and {@code agents} start from the first retained message; {@code messages}
 * starts from the last message of each chat subject (the seed's DeliverLastPerSubject).
 */
public enum ConsumerKind {
    CHATS("chats", EventSubject.PREFIX + ".*.*.chats", DeliverPolicy.All),
    AGENTS("agents", EventSubject.PREFIX + ".*.*.agents", DeliverPolicy.All),
    MESSAGES("messages", EventSubject.PREFIX + ".*.*.messages.*", DeliverPolicy.LastPerSubject);

    private final String suffix;
    private final String filterSubject;
    private final DeliverPolicy deliverPolicy;

    ConsumerKind(String suffix, String filterSubject, DeliverPolicy deliverPolicy) {
        this.suffix = suffix;
        this.filterSubject = filterSubject;
        this.deliverPolicy = deliverPolicy;
    }

    /** The durable name, e.g. {@code ws_fanout_chats} for the configured {@code ws_fanout}. */
    public String durableName(String consumerName) {
        return consumerName + "_" + suffix;
    }

    public String filterSubject() {
        return filterSubject;
    }

    public DeliverPolicy deliverPolicy() {
        return deliverPolicy;
    }

    public String suffix() {
        return suffix;
    }
}
