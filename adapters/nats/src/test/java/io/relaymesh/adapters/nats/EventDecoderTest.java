package io.relaymesh.adapters.nats;

import io.relaymesh.domain.model.RouteKey;
import java.util.Map;
import java.util.List;
import io.nats.client.impl.Headers;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventDecoderTest {
    private final EventDecoder decoder = new EventDecoder(PrimaryEvents.BINDINGS);

    @Test
    void payloadEventId_winsOverHeaderAndSequence() {
        Headers headers = new Headers().add(EventHeaders.MSG_ID, "from-header").add(EventHeaders.PUBLISHED_AT, "1234");

        Envelope event = ok(decoder.decode("websocket.c1.a1.messages.chat9", bytes("{\"event_id\":\"e-1\",\"x\":1}"),
                headers, "wa_stream", 7, 9999));

        assertEquals("e-1", event.id());
        assertEquals("websocket.c1.a1.messages.chat9", event.subject());
        assertEquals(List.of(RouteKey.chat("c1", "a1", "chat9")), event.audience());
        assertEquals("{\"event_id\":\"e-1\",\"x\":1}", event.payloadText());
        assertEquals(1234, event.publishedAtMillis());
    }

    @Test
    void withoutPayloadEventId_theMsgIdHeaderIsTheId() {
        Headers headers = new Headers().add(EventHeaders.MSG_ID, "from-header");

        Envelope event = ok(decoder.decode("websocket.c1.a1.chats", bytes("{\"event_id\":42}"), headers, "s", 7, 9999));

        assertEquals("from-header", event.id());
    }

    @Test
    void withoutPayloadIdOrHeader_theStreamSequenceIsTheId() {
        Envelope event = ok(decoder.decode("websocket.c1.a1.agents", bytes("{\"event_id\":\"  \"}"), null, "wa_stream", 7,
                9999));

        assertEquals("wa_stream-7", event.id());
        assertEquals("websocket.c1.a1.agents", event.subject());
        assertEquals(Map.of("company", "c1", "agent", "a1", "subject", "websocket.c1.a1.agents"), event.attributes());
    }

    @Test
    void withoutOrWithAMalformedPublishTimeHeader_theJetStreamTimestampIsUsed() {
        assertEquals(9999, ok(decoder.decode("websocket.c1.a1.chats", bytes("{}"), null, "s", 1, 9999))
                .publishedAtMillis());
        Headers garbage = new Headers().add(EventHeaders.PUBLISHED_AT, "yesterday");
        assertEquals(9999, ok(decoder.decode("websocket.c1.a1.chats", bytes("{}"), garbage, "s", 1, 9999))
                .publishedAtMillis());
    }

    @Test
    void invalidSubject_isRejectedWithTheReason() {
        String reason = rejected(decoder.decode("websocket.c:1.a1.chats", bytes("{}"), null, "s", 1, 1));

        assertTrue(reason.contains("invalid company (must not contain ':')"), reason);
    }

    @Test
    void payloadThatIsNotAJsonObject_isRejected() {
        assertTrue(rejected(decoder.decode("websocket.c1.a1.chats", bytes("not json"), null, "s", 1, 1))
                .contains("not valid JSON"));
        assertTrue(rejected(decoder.decode("websocket.c1.a1.chats", bytes("[1,2]"), null, "s", 1, 1))
                .contains("expected a JSON object"));
        assertTrue(rejected(decoder.decode("websocket.c1.a1.chats", new byte[0], null, "s", 1, 1))
                .contains("empty"));
        assertTrue(rejected(decoder.decode("websocket.c1.a1.chats", bytes("\"text\""), null, "s", 1, 1))
                .contains("expected a JSON object"));
    }

    @Test
    void aPayloadWithTextAfterItsJsonObject_isRejected_soNothingIsSplicedIntoAFrame() {
        String reason = rejected(decoder.decode("websocket.c1.a1.chats",
                bytes("{\"event_id\":\"x\"},\"type\":\"ready\""), null, "s", 1, 1));

        assertTrue(reason.startsWith("payload is not valid JSON"), reason);
    }

    @Test
    void twoJsonObjectsInOneMessage_areRejected() {
        rejected(decoder.decode("websocket.c1.a1.chats", bytes("{\"a\":1} {\"b\":2}"), null, "s", 1, 1));
    }

    @Test
    void anOverlongEventId_isRejected_inThePayloadAndInTheMsgIdHeader() {
        String reason = rejected(decoder.decode("websocket.c1.a1.chats",
                bytes("{\"event_id\":\"" + "x".repeat(129) + "\"}"), null, "s", 1, 1));
        assertTrue(reason.startsWith("event_id must be at most 128 characters"), reason);

        Headers headers = new Headers().add(EventHeaders.MSG_ID, "id with spaces");
        assertTrue(rejected(decoder.decode("websocket.c1.a1.chats", bytes("{}"), headers, "s", 1, 1))
                .startsWith("event_id must contain only visible ASCII"));
    }

    private static Envelope ok(EventDecoder.Decoded decoded) {
        return assertInstanceOf(EventDecoder.Decoded.Ok.class, decoded).envelope();
    }

    private static String rejected(EventDecoder.Decoded decoded) {
        return assertInstanceOf(EventDecoder.Decoded.Rejected.class, decoded).reason();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
