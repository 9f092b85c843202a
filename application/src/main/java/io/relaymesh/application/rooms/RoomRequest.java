package io.relaymesh.application.rooms;

/**
 * A client frame of the peer rooms protocol, as its codec read it. {@code frameBytes} is the frame's
 * size on the wire, for the per-connection byte rate. Fields the client left out are null.
 */
public sealed interface RoomRequest {
    int frameBytes();

    /** Join {@code topic} as {@code peerId} (null: the server picks one), with an optional token. */
    record Join(String topic, String peerId, String token, int frameBytes) implements RoomRequest {
        @Override
        public String toString() {
            return "Join[topic=…, peerId=" + peerId + ", token=" + (token == null ? "none" : "<redacted>") + "]";
        }
    }

    /** Relay {@code data} (base64 text, passed on as it is) to the other peers of the topic. */
    record Data(String data, int frameBytes) implements RoomRequest {
    }

    /** Leave the topic; the connection stays open and may join again. */
    record Leave(int frameBytes) implements RoomRequest {
    }

    /** A frame the codec could not read: {@code problem} says why, safe to show the client. */
    record Invalid(String problem, int frameBytes) implements RoomRequest {
    }
}
