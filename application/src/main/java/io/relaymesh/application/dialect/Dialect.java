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
     * The largest client frame this dialect takes, in bytes (UTF-8); 0 means the server's
     * {@code server.max_frame_bytes}. A dialect that answers an oversized request with a frame of
     * its own (rather than a close) sets it above its own request limit.
     */
    default int maxFrameBytes() {
        return 0;
    }

    /**
     * Whether the dialect limits its clients' frames itself (its own rates, answered with its own
     * frames). Otherwise every text frame counts against the core's per-connection rate
     * ({@code app.client_max_messages_per_second}), and a client over it is closed. Pings count
     * against the core's rate either way.
     */
    default boolean limitsFrameRate() {
        return false;
    }

    /**
     * Told once when an admitted connection has ended, however it ended (close, failed send, missed
     * pong, shutdown), after the core cleaned it up (its route keys are left). Must not block for long.
     */
    default void closed(DialectSession session) {
    }
}
