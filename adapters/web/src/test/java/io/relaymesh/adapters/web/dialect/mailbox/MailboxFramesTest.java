package io.relaymesh.adapters.web.dialect.mailbox;

import io.relaymesh.application.dialect.mailbox.MailboxSettings;
import io.relaymesh.domain.mailbox.MailboxMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailboxFramesTest {
    private static final MailboxSettings SETTINGS = new MailboxSettings(3600, 5, 50, 100, false, 10);

    private static MailboxFrames.Client parse(String frame) {
        return MailboxFrames.parse(frame, SETTINGS);
    }

    @Test
    void theSeedsFrames_areRead() {
        assertEquals(new MailboxFrames.Client.Hello("user-123", null), parse("{\"type\":\"hello\",\"wayfarer_id\":\"user-123\"}"));
        assertEquals(new MailboxFrames.Client.Send("user-456", 3600, "SGVsbG8="),
                parse("{\"type\":\"send\",\"to\":\"user-456\",\"ttl_seconds\":3600,\"payload_b64\":\"SGVsbG8=\"}"));
        assertEquals(new MailboxFrames.Client.Ack("m-1"), parse("{\"type\":\"ack\",\"msg_id\":\"m-1\"}"));
        assertEquals(new MailboxFrames.Client.Pull(50), parse("{\"type\":\"pull\",\"limit\":50}"));
        assertEquals(new MailboxFrames.Client.Pull(0), parse("{\"type\":\"pull\"}"));
        assertEquals(new MailboxFrames.Client.Send("b", 0, ""), parse("{\"type\":\"send\",\"to\":\"b\",\"payload_b64\":\"\"}"));
    }

    @Test
    void aPayloadLargerThanTheLimit_isNamedAsTooLarge() {
        var bad = assertInstanceOf(MailboxFrames.Client.Bad.class,
                parse("{\"type\":\"send\",\"to\":\"b\",\"payload_b64\":\"SGVsbG8h\"}"));
        assertTrue(bad.problem().startsWith("payload too large"), bad.problem());
    }

    @Test
    void trailingText_isRefused() {
        assertInstanceOf(MailboxFrames.Client.Bad.class, parse("{\"type\":\"pull\"} {\"type\":\"pull\"}"));
    }

    @Test
    void theServersFrames_lookLikeTheSeeds() {
        MailboxMessage m = new MailboxMessage("id-1", "a", "b", "SGk=", 1234567890, 0);
        assertEquals("{\"type\":\"send_ok\",\"msg_id\":\"id-1\",\"at\":1234567890}", MailboxFrames.sendOk(m));
        assertEquals("{\"type\":\"message\",\"msg_id\":\"id-1\",\"from\":\"a\",\"payload_b64\":\"SGk=\",\"at\":1234567890}",
                MailboxFrames.message("id-1", "a", "SGk=", 1234567890));
        assertEquals("{\"type\":\"messages\",\"messages\":[{\"msg_id\":\"id-1\",\"from\":\"a\",\"payload_b64\":\"SGk=\",\"at\":1234567890}]}",
                MailboxFrames.messages(List.of(m)));
        assertEquals("{\"type\":\"error\",\"payload\":\"bad \\\"x\\\"\"}", MailboxFrames.error("bad \"x\""));
    }
}
