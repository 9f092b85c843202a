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

    @Test
    void positions_readyRecovered_andChatSelected_areAdditionsClientsMayIgnore() {
        Envelope event = PrimaryEvents.event("e-2", PrimaryEvents.chats("acme", "support"), "{\"n\":1}", 1L)
                .withAttribute(Envelope.POSITION, "wa_stream.lq3:42");
        assertEquals("{\"type\":\"event\",\"payload\":{\"n\":1},\"position\":\"wa_stream.lq3:42\"}",
                new String(FrameCodec.utf8(new ServerMessage.EventFrame(event)), StandardCharsets.UTF_8));
        Envelope odd = event.withAttribute(Envelope.POSITION, "a\"b:1");
        assertEquals("{\"type\":\"event\",\"payload\":{\"n\":1}}",
                FrameCodec.render(new ServerMessage.EventFrame(odd)), "a position that would need escaping is left out");
        assertEquals("{\"type\":\"ready\"}", FrameCodec.render(new ServerMessage.Ready()));
        assertEquals("{\"type\":\"ready\",\"recovered\":false}", FrameCodec.render(new ServerMessage.Ready(false)));
        assertEquals("{\"type\":\"chat_selected\",\"payload\":{\"chat_id\":\"c-1\",\"recovered\":true}}",
                FrameCodec.render(new ServerMessage.ChatSelected("c-1", true)));
    }

    @Test
    void selectChat_takesAnOptionalSincePosition() {
        assertEquals(new FrameCodec.Parsed.Ok(new io.relaymesh.application.connection.ClientMessage.SelectChat("x", "e:5")),
                FrameCodec.parse("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"x\",\"since\":\"e:5\"}}"));
        assertEquals(new FrameCodec.Parsed.Ok(new io.relaymesh.application.connection.ClientMessage.SelectChat("x", null)),
                FrameCodec.parse("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"x\"}}"));
        FrameCodec.Parsed bad = FrameCodec.parse("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"x\",\"since\":5}}");
        assertEquals(FrameCodec.Parsed.Bad.class, bad.getClass());
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
