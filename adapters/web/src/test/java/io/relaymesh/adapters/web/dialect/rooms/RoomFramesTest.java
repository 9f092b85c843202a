package io.relaymesh.adapters.web.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.application.rooms.RoomEnvelopes;
import io.relaymesh.application.rooms.RoomRequest;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoomFramesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RoomFrames frames = new RoomFrames();

    private static Envelope envelope(Map<String, String> attributes, String payload) {
        return new Envelope("id-1", List.of(RouteKey.of("room", "t1")), payload.getBytes(StandardCharsets.UTF_8),
                attributes, 0L, new ConnectionId("c1"));
    }

    private static JsonNode parse(byte[] frame) throws Exception {
        return JSON.readTree(frame);
    }

    @Test
    void readsTheSeedsClientFrames_andIgnoresFieldsItDoesNotKnow() {
        String data = "{\"type\":\"data\",\"data\":\"aGVsbG8=\",\"extra\":{\"nested\":[1,2]}}";
        String join = "{\"type\":\"join\",\"topic\":\"t1\",\"peerId\":\"p1\"}";
        String withToken = "{\"type\":\"join\",\"topic\":\"t1\",\"token\":\"jwt\"}";
        String nullId = "{\"type\":\"join\",\"topic\":\"t1\",\"peerId\":null}";
        assertJoin(new RoomRequest.Join("t1", "p1", null, join.length()), frames.read(join));
        assertJoin(new RoomRequest.Join("t1", null, "jwt", withToken.length()), frames.read(withToken));
        assertJoin(new RoomRequest.Join("t1", null, null, nullId.length()), frames.read(nullId));
        assertEquals(new RoomRequest.Data("aGVsbG8=", data.length()), frames.read(data));
        assertEquals(new RoomRequest.Leave(16), frames.read("{\"type\":\"leave\"}"));
    }

    /** Join's toString hides the topic and token; compare field by field. */
    private static void assertJoin(RoomRequest.Join expected, RoomRequest actual) {
        RoomRequest.Join join = (RoomRequest.Join) actual;
        assertEquals(List.of(String.valueOf(expected.topic()), String.valueOf(expected.peerId()),
                        String.valueOf(expected.token()), expected.frameBytes()),
                List.of(String.valueOf(join.topic()), String.valueOf(join.peerId()), String.valueOf(join.token()),
                        join.frameBytes()));
    }

    @Test
    void aFrameItCannotRead_isInvalid_withTheReason() {
        assertEquals(new RoomRequest.Invalid("not valid JSON", 5), frames.read("{nope"));
        assertEquals(new RoomRequest.Invalid("a frame must be a JSON object with a \"type\"", 2), frames.read("[]"));
        assertEquals(new RoomRequest.Invalid("a frame needs a \"type\" (join, data or leave)", 13),
                frames.read("{\"topic\":\"t\"}"));
        assertEquals(new RoomRequest.Invalid("\"topic\" must be a string", 26),
                frames.read("{\"type\":\"join\",\"topic\":42}"));
        assertEquals(new RoomRequest.Invalid("unknown type \"hello\" (expected join, data or leave)", 16),
                frames.read("{\"type\":\"hello\"}"));
        assertEquals(new RoomRequest.Invalid("a frame must be one JSON object", 18),
                frames.read("{\"type\":\"leave\"}{}"));
    }

    @Test
    void theSeedsDataFrame_isReadWithoutAParser_andAnythingElseLikeIt_withOne() {
        String seed = "{\"type\":\"data\",\"data\":\"aGVsbG8=\"}";
        assertEquals(new RoomRequest.Data("aGVsbG8=", seed.length()), frames.read(seed));
        String escaped = "{\"type\":\"data\",\"data\":\"a\\/b\"}";
        assertEquals(new RoomRequest.Data("a/b", escaped.length()), frames.read(escaped), "JSON escapes are undone");
        String trick = "{\"type\":\"data\",\"data\":\"x\",\"type\":\"leave\"}";
        assertEquals(new RoomRequest.Leave(trick.length()), frames.read(trick), "the last type wins, as in any JSON reader");
        String empty = "{\"type\":\"data\",\"data\":\"\"}";
        assertEquals(new RoomRequest.Data("", empty.length()), frames.read(empty));
    }

    @Test
    void countsTheFramesUtf8Bytes() {
        assertEquals(34, frames.read("{\"type\":\"join\",\"topic\":\"caf\u00e9\u20ac\"}").frameBytes());
    }

    @Test
    void rendersRelayedDataAndNews_inTheSeedsShapes() throws Exception {
        JsonNode data = parse(frames.render(envelope(Map.of(RoomEnvelopes.KIND, RoomEnvelopes.DATA,
                RoomEnvelopes.PEER, "peer-1"), "aGVsbG8=")));
        assertEquals(JSON.readTree("{\"type\":\"data\",\"peerId\":\"peer-1\",\"data\":\"aGVsbG8=\"}"), data);

        JsonNode joined = parse(frames.render(envelope(Map.of(RoomEnvelopes.KIND, RoomEnvelopes.JOINED,
                RoomEnvelopes.PEER, "peer-1", RoomEnvelopes.TOPIC, "t1"), "")));
        assertEquals(JSON.readTree("{\"type\":\"peer-joined\",\"peerId\":\"peer-1\",\"topic\":\"t1\"}"), joined);

        JsonNode left = parse(frames.render(envelope(Map.of(RoomEnvelopes.KIND, RoomEnvelopes.LEFT,
                RoomEnvelopes.PEER, "peer-1", RoomEnvelopes.TOPIC, "t1"), "")));
        assertEquals(JSON.readTree("{\"type\":\"peer-left\",\"peerId\":\"peer-1\",\"topic\":\"t1\"}"), left);
    }

    @Test
    void aPayloadThatIsNotBase64_isEscapedRatherThanSplicedIn() throws Exception {
        JsonNode data = parse(frames.render(envelope(Map.of(RoomEnvelopes.KIND, RoomEnvelopes.DATA,
                RoomEnvelopes.PEER, "p"), "x\",\"type\":\"forged")));

        assertEquals("data", data.path("type").asText());
        assertEquals("x\",\"type\":\"forged", data.path("data").asText());
    }

    @Test
    void repliesAreJson_withTheirTextQuoted() throws Exception {
        assertEquals(JSON.readTree("{\"type\":\"joined\",\"topic\":\"t\",\"peerId\":\"me\",\"peers\":[\"a\",\"b\"]}"),
                JSON.readTree(frames.joined("t", "me", List.of("a", "b"))));
        assertEquals(JSON.readTree("{\"type\":\"left\",\"topic\":\"t\",\"peerId\":\"me\"}"),
                JSON.readTree(frames.left("t", "me")));
        assertEquals("say \"hi\"\n\\", JSON.readTree(frames.error("say \"hi\"\n\\")).path("payload").asText());
    }
}
