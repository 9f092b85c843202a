package io.relaymesh.adapters.nats;

import io.relaymesh.testkit.PrimaryEvents;

import java.util.List;

/** The primary protocol's three consumers, as the gateway provisions them from its bindings. */
final class ConsumerKinds {
    static final List<ConsumerKind> ALL = ConsumerKind.of(PrimaryEvents.BINDINGS);
    static final ConsumerKind CHATS = ALL.get(0);
    static final ConsumerKind AGENTS = ALL.get(1);
    static final ConsumerKind MESSAGES = ALL.get(2);

    private ConsumerKinds() {
    }
}
