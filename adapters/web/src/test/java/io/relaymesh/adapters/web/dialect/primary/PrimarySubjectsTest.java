package io.relaymesh.adapters.web.dialect.primary;

import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SubjectBindings;
import io.relaymesh.testkit.PrimaryEvents;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrimarySubjectsTest {
    private final SubjectBindings bindings = new SubjectBindings(PrimarySubjects.bindings());

    @Test
    void theTestKitsBindings_areTheGatewaysOwn() {
        assertEquals(PrimarySubjects.bindings(), PrimaryEvents.BINDINGS.all());
    }

    @Test
    void eachSubjectForm_goesToItsRouteKeys() {
        assertEquals(List.of(RouteKey.agent("c1", "a1")), audience("websocket.c1.a1.chats"));
        assertEquals(List.of(RouteKey.chat("c1", "a1", "x9")), audience("websocket.c1.a1.messages.x9"));
        assertEquals(List.of(RouteKey.admin("c1", "a1"), RouteKey.admin("c1", ""), RouteKey.admin("", "a1"),
                RouteKey.admin("", "")), audience("websocket.c1.a1.agents"));
    }

    @Test
    void otherSubjects_areRefusedWithTheExpectedForms() {
        for (String bad : new String[] {"websocket.c1.a1", "websocket.c1.a1.chats.x", "other.c1.a1.chats",
                "websocket.c1.a1.messages", ""}) {
            SubjectBindings.Resolved.Invalid invalid =
                    assertInstanceOf(SubjectBindings.Resolved.Invalid.class, bindings.resolve(bad), bad);
            assertTrue(invalid.reason().contains("websocket.{company}.{agent}.chats"), invalid.reason());
        }
        SubjectBindings.Resolved.Invalid segment = assertInstanceOf(SubjectBindings.Resolved.Invalid.class,
                bindings.resolve("websocket.c1.a\u202e1.chats"));
        assertTrue(segment.reason().contains("invalid agent"), segment.reason());
    }

    private List<RouteKey> audience(String subject) {
        return assertInstanceOf(SubjectBindings.Resolved.Ok.class, bindings.resolve(subject)).match().audience();
    }
}
