package io.relaymesh.adapters.web.ws;

import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FrameCodecTest {

    @Test
    void textHeaders_useTheShortestLengthForm_ofRfc6455() {
        assertHeader(0, 0x81, 0);
        assertHeader(125, 0x81, 125);
        assertHeader(126, 0x81, 126, 0, 126);
        assertHeader(65_535, 0x81, 126, 0xff, 0xff);
        assertHeader(65_536, 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0);
        assertHeader(1_000_000, 0x81, 127, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x40);
    }

    @Test
    void anEventFrame_isEncodedOnce_forEveryConnection() {
        Envelope event = PrimaryEvents.event("e-1", PrimaryEvents.chats("acme", "support"), "{\"text\":\"héllo\"}", 1L);
        ServerMessage.EventFrame frame = new ServerMessage.EventFrame(event);

        byte[] first = FrameCodec.utf8(frame);

        assertSame(first, FrameCodec.utf8(frame), "the second connection gets the bytes of the first");
        assertArrayEquals(FrameCodec.render(frame).getBytes(StandardCharsets.UTF_8), first);
        assertEquals("{\"type\":\"event\",\"payload\":{\"text\":\"héllo\"}}", new String(first, StandardCharsets.UTF_8));
    }

    private static void assertHeader(int payloadLength, int... expected) {
        byte[] out = new byte[expected.length + 2];
        int end = FrameCodec.writeTextHeader(out, 1, payloadLength);
        assertEquals(1 + expected.length, end, "header length for " + payloadLength);
        assertEquals(expected.length, FrameCodec.headerLength(payloadLength));
        for (int i = 0; i < expected.length; i++) {
            assertEquals((byte) expected[i], out[1 + i], "byte " + i + " of the header for " + payloadLength);
        }
    }
}
