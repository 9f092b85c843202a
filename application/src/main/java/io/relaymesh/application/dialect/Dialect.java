package io.relaymesh.application.dialect;

import io.relaymesh.domain.model.Envelope;

/**
 * A wire protocol served on the shared core. The web adapter owns the sockets; a dialect decides
 * who may connect (from the upgrade or the first frame), what a client frame does (through
 * {@link DialectSessions}: join or leave route keys, deliver envelopes, reply) and how an envelope
 * looks on its wire. Implementations are thread-safe: every connection of the dialect calls them.
 */
public interface Dialect {

    /** The dialect's name: config section, metrics label, log field. */
    String name();

    /** The explicit WebSocket path of the dialect, e.g. {@code /mailbox/ws}. */
    String path();

    /** The {@code type} of a first frame on the shared {@code /ws} that belongs to this dialect, or null. */
    String firstFrameType();

    /**
     * Admits a connection: {@code firstFrame} is null at the upgrade, else the client's first
     * frame (only after {@link Admission.AwaitFirstFrame}).
     */
    Admission admit(Handshake handshake, String firstFrame);

    /** Handles one text frame of an admitted connection. */
    void onFrame(DialectSession session, String frame);

    /**
     * The frame an envelope becomes for this dialect's clients, as UTF-8 JSON text. Called once
     * per envelope however many connections it goes to (the web adapter caches the bytes).
     */
    byte[] render(Envelope envelope);

    /**
     * How long a connection waiting for its first frame ({@link Admission.AwaitFirstFrame}) may stay
     * silent before it is closed with 4408, or null for no limit.
     */
    default java.time.Duration firstFrameTimeout() {
        return null;
    }

    /** The frame (may be null) written before the 4408 close of a connection whose first frame did not come in time. */
    default String firstFrameMissing(java.time.Duration waited) {
        return null;
    }

    /** Starts the dialect's own timers and inbound adapters; called once the server listens. */
    default void start() {
    }

    /** Stops what {@link #start()} started; called once the sockets are closed. */
    default void stop() {
    }

    /**
     * Called once the connection is open (its reply written, its route keys joined): a dialect
     * may send what waited for the client. Optional.
     */
    default void opened(DialectSession session) {
    }

    /** Called once when an admitted connection has ended, however it ended. Optional. */
    default void closed(DialectSession session) {
    }

    /**
     * The subprotocol to accept on the upgrade, among those the client offered (a browser cannot
     * set headers, so some clients put their token there), or null to accept none. Optional.
     */
    default String subprotocol(java.util.List<String> offered) {
        return null;
    }

    /**
     * Whether the dialect applies the per-connection frame rate itself ({@link DialectSessions#allowFrame})
     * rather than before every frame: one whose clients send a frame per message received (an ack)
     * gives those their own budget. Pings are counted either way. Optional.
     */
    default boolean ratesItsOwnFrames() {
        return false;
    }

    /**
     * The admission reply of a client that resumed ({@link Admission.Admitted#since}), marked with
     * {@code recovered}: whether every event it missed follows. Optional (unmarked by default).
     */
    default String resumedReply(String reply, boolean recovered) {
        return reply;
    }

    /**
     * The largest client frame this dialect takes, in bytes (UTF-8); 0 means the server's
     * {@code server.max_frame_bytes}. A dialect that answers an oversized request with a frame of
     * its own (rather than a close) sets it above its own request limit. Optional.
     */
    default int maxFrameBytes() {
        return 0;
    }

    /** Stops what the dialect runs in the background (a sweeper, a store), once, at shutdown. Optional. */
    default void close() {
    }
}
