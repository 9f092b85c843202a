package io.relaymesh.adapters.grpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.io.IOException;

/**
 * Checks that a forwarded payload is exactly one JSON object and nothing else: the payload is
 * written into a client frame as it is, so text after the object would add fields (a second
 * {@code "type"}) to that frame. A streaming parse, no tree is built. Thread-safe.
 */
final class JsonPayloads {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private JsonPayloads() {
    }

    /** Null when {@code utf8} holds exactly one JSON object, else what is wrong with it. */
    static String problemWith(byte[] utf8) {
        if (utf8.length == 0) {
            return "payload is empty; expected a JSON object";
        }
        try (JsonParser parser = JSON.createParser(utf8)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "payload is not a JSON object";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "payload has text after its JSON object";
            }
            return null;
        } catch (StreamReadException e) {
            return "payload is not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            return "payload is not readable: " + e.getMessage();
        }
    }
}
