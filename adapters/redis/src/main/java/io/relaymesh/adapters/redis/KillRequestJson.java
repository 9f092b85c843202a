package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.KillSwitch.KillRequest;

import java.util.Locale;
import java.util.Optional;

/**
 * The pub/sub message of a kill request:
 * {@code {"session_key":"session:…","victim":"pod/connection","reason":"takeover"|"kick"}}. A message
 * without a reason (from a pod of an older version), or with one this version does not know, is a
 * take-over. Thread-safe.
 */
final class KillRequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KillRequestJson() {
    }

    static String encode(KillRequest request) {
        return JSON.createObjectNode()
                .put("session_key", request.key().value())
                .put("victim", request.victim().encode())
                .put("reason", request.reason().name().toLowerCase(Locale.ROOT))
                .toString();
    }

    /** A missing or unknown reason is a take-over: the victim is closed and its lock released either way. */
    private static KillSwitch.Reason reason(String text) {
        for (KillSwitch.Reason reason : KillSwitch.Reason.values()) {
            if (reason.name().equalsIgnoreCase(text)) {
                return reason;
            }
        }
        return KillSwitch.Reason.TAKEOVER;
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
            return Optional.of(new KillRequest(new SessionKey(key.asText()), SessionOwner.decode(victim.asText()),
                    reason(node.path("reason").asText(""))));
        } catch (JsonProcessingException | RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
