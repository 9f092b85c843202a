package io.relaymesh.adapters.web.dialect.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.relaymesh.application.rooms.RoomEnvelopes;
import io.relaymesh.application.rooms.RoomReplies;
import io.relaymesh.application.rooms.RoomRequest;
import io.relaymesh.domain.model.Envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The peer rooms protocol on the wire: JSON text frames with a {@code type}. Reads client frames
 * ({@code join}, {@code data}, {@code leave}) with a streaming parser (a data frame's base64 text is
 * read once, not built into a tree), and writes the server's ({@code peer-joined}, {@code peer-left},
 * {@code data}, {@code joined}, {@code left}, {@code error}). A relayed data frame is assembled from
 * bytes: the base64 text goes in as it came. Thread-safe and stateless.
 */
public final class RoomFrames implements RoomReplies {
    // Jackson's default buffer pool is per thread: with a virtual thread reading each connection it
    // kept an 8 KB char buffer alive per peer that had sent a join (measured). One shared pool.
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedLockFreePool()).build();
    private static final byte[] DATA_HEAD = "{\"type\":\"data\",\"peerId\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA_MIDDLE = ",\"data\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA_TAIL = "\"}".getBytes(StandardCharsets.UTF_8);

    /** A data frame as the seed's client writes it ({@code JSON.stringify({type, data})}), read without a parser. */
    private static final String DATA_FRAME = "{\"type\":\"data\",\"data\":\"";

    /** Reads a client frame; never throws (a frame it cannot read is {@link RoomRequest.Invalid}). */
    public RoomRequest read(String frame) {
        int bytes = utf8Length(frame);
        if (frame.startsWith(DATA_FRAME) && frame.endsWith("\"}")) {
            // The hot path: the payload is everything between the quotes when nothing in it is escaped.
            int from = DATA_FRAME.length();
            int to = frame.length() - 2;
            boolean plain = to >= from;
            for (int i = from; plain && i < to; i++) {
                char c = frame.charAt(i);
                plain = c != '"' && c != '\\';
            }
            if (plain) {
                return new RoomRequest.Data(frame.substring(from, to), bytes);
            }
        }
        String type = null;
        String topic = null;
        String peerId = null;
        String data = null;
        String token = null;
        try (JsonParser parser = JSON.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new RoomRequest.Invalid("a frame must be a JSON object with a \"type\"", bytes);
            }
            JsonToken token0;
            while ((token0 = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type", "topic", "peerId", "data", "token" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        if (value != JsonToken.VALUE_STRING) {
                            return new RoomRequest.Invalid("\"" + field + "\" must be a string", bytes);
                        }
                        String text = parser.getText();
                        switch (field) {
                            case "type" -> type = text;
                            case "topic" -> topic = text;
                            case "peerId" -> peerId = text;
                            case "data" -> data = text;
                            default -> token = text;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token0 != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return new RoomRequest.Invalid("a frame must be one JSON object", bytes);
            }
        } catch (IOException e) {
            return new RoomRequest.Invalid("not valid JSON", bytes);
        }
        if (type == null) {
            return new RoomRequest.Invalid("a frame needs a \"type\" (join, data or leave)", bytes);
        }
        return switch (type) {
            case "join" -> new RoomRequest.Join(topic, peerId, token, bytes);
            case "data" -> new RoomRequest.Data(data, bytes);
            case "leave" -> new RoomRequest.Leave(bytes);
            default -> new RoomRequest.Invalid("unknown type \"" + printable(type) + "\" (expected join, data or leave)",
                    bytes);
        };
    }

    /** An envelope of the rooms as the frame its peers get. */
    public byte[] render(Envelope envelope) {
        String kind = envelope.attribute(RoomEnvelopes.KIND);
        String peer = envelope.attribute(RoomEnvelopes.PEER);
        if (RoomEnvelopes.DATA.equals(kind)) {
            return data(peer, envelope.payload());
        }
        String type = RoomEnvelopes.JOINED.equals(kind) ? "peer-joined" : "peer-left";
        StringBuilder out = new StringBuilder(64).append("{\"type\":\"").append(type).append("\",\"peerId\":");
        quote(out, peer);
        out.append(",\"topic\":");
        quote(out, envelope.attribute(RoomEnvelopes.TOPIC));
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"type":"data","peerId":…,"data":"…"}} from bytes; the payload is base64 (checked, else escaped). */
    private static byte[] data(String peer, byte[] base64) {
        if (!plain(base64)) {
            // Not what a pod of this cluster sends: render it safely rather than splice it in.
            StringBuilder out = new StringBuilder("{\"type\":\"data\",\"peerId\":");
            quote(out, peer);
            out.append(",\"data\":");
            quote(out, new String(base64, StandardCharsets.UTF_8));
            return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder quoted = new StringBuilder(peer.length() + 2);
        quote(quoted, peer);
        byte[] id = quoted.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[DATA_HEAD.length + id.length + DATA_MIDDLE.length + base64.length + DATA_TAIL.length];
        int at = 0;
        System.arraycopy(DATA_HEAD, 0, frame, at, DATA_HEAD.length);
        at += DATA_HEAD.length;
        System.arraycopy(id, 0, frame, at, id.length);
        at += id.length;
        System.arraycopy(DATA_MIDDLE, 0, frame, at, DATA_MIDDLE.length);
        at += DATA_MIDDLE.length;
        System.arraycopy(base64, 0, frame, at, base64.length);
        at += base64.length;
        System.arraycopy(DATA_TAIL, 0, frame, at, DATA_TAIL.length);
        return frame;
    }

    private static boolean plain(byte[] base64) {
        for (byte b : base64) {
            boolean ok = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+'
                    || b == '/' || b == '=' || b == '-' || b == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String joined(String topic, String peerId, List<String> peers) {
        StringBuilder out = new StringBuilder(64 + peers.size() * 24).append("{\"type\":\"joined\",\"topic\":");
        quote(out, topic);
        out.append(",\"peerId\":");
        quote(out, peerId);
        out.append(",\"peers\":[");
        for (int i = 0; i < peers.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(out, peers.get(i));
        }
        return out.append("]}").toString();
    }

    @Override
    public String left(String topic, String peerId) {
        StringBuilder out = new StringBuilder(64).append("{\"type\":\"left\",\"topic\":");
        quote(out, topic);
        out.append(",\"peerId\":");
        quote(out, peerId);
        return out.append('}').toString();
    }

    @Override
    public String error(String message) {
        StringBuilder out = new StringBuilder(32 + message.length()).append("{\"type\":\"error\",\"payload\":");
        quote(out, message);
        return out.append('}').toString();
    }

    /** Appends {@code text} as a JSON string. */
    static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The frame's size on the wire, without encoding it. */
    static int utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static String printable(String type) {
        return io.relaymesh.domain.model.Names.printable(type);
    }
}
