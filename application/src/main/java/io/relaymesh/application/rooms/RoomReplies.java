package io.relaymesh.application.rooms;

import java.util.List;

/**
 * How the frames the rooms use case sends on its own (not relayed envelopes) look on the wire;
 * implemented by the dialect's codec. Thread-safe.
 */
public interface RoomReplies {

    /** To a peer that joined: the topic, its peer id and the peers already there. */
    String joined(String topic, String peerId, List<String> peers);

    /** To a peer that left on its own request. */
    String left(String topic, String peerId);

    /** A problem with the client's request (or with its state); the connection stays open. */
    String error(String message);
}
