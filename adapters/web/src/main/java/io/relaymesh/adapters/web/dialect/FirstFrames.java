package io.relaymesh.adapters.web.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the {@code type} of a first frame on the shared {@code /ws}. Thread-safe. */
final class FirstFrames {
    // A shared buffer pool, not Jackson's per-thread one: each connection's reader is a thread of its own.
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedLockFreePool()).build());

    private FirstFrames() {
    }

    /** The frame's {@code type} string, or null when it is not a JSON object with one. */
    static String type(String frame) {
        try {
            JsonNode root = JSON.readTree(frame);
            JsonNode type = root == null ? null : root.get("type");
            return type != null && type.isTextual() ? type.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String quote(String text) {
        return JSON.getNodeFactory().textNode(text).toString();
    }
}
