package io.relaymesh.adapters.nats;

/** Message headers the adapter writes and reads. */
public final class EventHeaders {
    /** JetStream de-duplicates a message whose id it saw within the stream's duplicate window. */
    public static final String MSG_ID = "Nats-Msg-Id";
    /** Epoch milliseconds at which the event entered Relaymesh, for end-to-end latency. */
    public static final String PUBLISHED_AT = "Relaymesh-Published-At";

    private EventHeaders() {
    }
}
