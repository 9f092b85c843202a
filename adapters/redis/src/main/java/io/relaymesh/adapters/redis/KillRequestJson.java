package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch.KillRequest;

import java.util.Optional;

/** The pub/sub message of a kill request: {@code {"session_key":"session:…","victim":"pod/connection"}}. Thread-safe. */
final class KillRequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KillRequestJson() {
    }

    static String encode(KillRequest request) {
        return JSON.createObjectNode()
                .put("session_key", request.key().value())
                .put("victim", request.victim().encode())
                .toString();
    }

    /** The request in {@code message}, or empty when it is not one (logged by the caller). */
    static Optional<KillRequest> decode(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            JsonNode key = node.get("session_key");
            JsonNode victim = node.get("victim");
            if (key == null || !key.isTextual() || victim == null || !victim.isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new KillRequest(new SessionKey(key.asText()), SessionOwner.decode(victim.asText())));
        } catch (JsonProcessingException | RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
