package io.relaymesh.domain.model;

import io.relaymesh.domain.model.SubjectBinding.Start;
import io.relaymesh.domain.model.SubjectBinding.Stream;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectBindingTest {
    private final SubjectBinding conversations = new SubjectBinding("conversations", Stream.DIALECTS,
            "conversations.{id}", List.of("conv:{id}"), Start.ALL);
    private final SubjectBinding fanout = new SubjectBinding("fanout", Stream.PRIMARY, "x.{a}.{b}.y",
            List.of("k:{a}:{b}", "k:{a}:*", "k:*:*"), Start.LAST_PER_SUBJECT);

    @Test
    void aMatchingSubject_givesTheTemplatesFilledIn_andItsCapturesAsAttributes() {
        SubjectBinding.Match match = fanout.match("x.a1.b1.y");
        assertEquals(List.of(new RouteKey("k:a1:b1"), new RouteKey("k:a1:*"), new RouteKey("k:*:*")), match.audience());
        assertEquals(Map.of("a", "a1", "b", "b1"), match.attributes());
        assertEquals("x.*.*.y", fanout.filterSubject());
        assertEquals("conversations.*", conversations.filterSubject());
    }

    @Test
    void anotherForm_isNoMatch_andAnInvalidCapture_isNamed() {
        assertNull(fanout.match("x.a1.y"));
        assertNull(fanout.match("z.a1.b1.y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fanout.match("x.a1.b 1.y"));
        assertTrue(e.getMessage().contains("invalid b"), e.getMessage());
    }

    @Test
    void aTemplateUsingAnUncapturedName_orNoTemplate_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SubjectBinding("bad", Stream.PRIMARY, "x.{a}",
                List.of("k:{b}"), Start.ALL));
        assertThrows(IllegalArgumentException.class, () -> new SubjectBinding("bad", Stream.PRIMARY, "x.{a}",
                List.of(), Start.ALL));
        assertThrows(IllegalArgumentException.class, () -> new SubjectBinding("bad", Stream.PRIMARY, "x..{a}",
                List.of("k:{a}"), Start.ALL));
    }

    @Test
    void bindings_resolveToTheFirstMatchingForm_andEnvelopesCarryTheSubject() {
        SubjectBindings bindings = new SubjectBindings(List.of(conversations, fanout));
        SubjectBindings.Resolved.Ok ok = assertInstanceOf(SubjectBindings.Resolved.Ok.class,
                bindings.resolve("conversations.c9"));
        Envelope envelope = SubjectBindings.envelope(ok.match(), "conversations.c9", "e1", new byte[]{'{', '}'}, 5);
        assertEquals(List.of(new RouteKey("conv:c9")), envelope.audience());
        assertEquals("conversations.c9", envelope.subject());
        assertEquals("c9", envelope.attribute("id"));
        assertEquals(List.of(conversations), bindings.in(Stream.DIALECTS));
        assertThrows(IllegalArgumentException.class, () -> new SubjectBindings(List.of(fanout, fanout)));
        SubjectBindings.Resolved.Invalid invalid = assertInstanceOf(SubjectBindings.Resolved.Invalid.class,
                bindings.resolve("nope"));
        assertTrue(invalid.reason().contains("expected conversations.{id}, x.{a}.{b}.y"), invalid.reason());
    }

    @Test
    void filterFor_isTheSubjectsWhoseEnvelopesGoToAKey_withWildcardsForWhatTheKeyDoesNotFix() {
        SubjectBindings bindings = new SubjectBindings(List.of(
                new SubjectBinding("chats", Stream.PRIMARY, "websocket.{company}.{agent}.chats",
                        List.of("agent:{company}:{agent}"), Start.ALL),
                new SubjectBinding("agents", Stream.PRIMARY, "websocket.{company}.{agent}.agents",
                        List.of("admin:{company}:{agent}", "admin:{company}:*", "admin:*:*"), Start.ALL),
                new SubjectBinding("messages", Stream.PRIMARY, "websocket.{company}.{agent}.messages.{chat}",
                        List.of("chat:{company}:{agent}:{chat}"), Start.LAST_PER_SUBJECT)));
        assertEquals(List.of("websocket.c1.a1.chats"), bindings.filtersFor(new RouteKey("agent:c1:a1")));
        assertEquals(List.of("websocket.c1.a1.messages.x"), bindings.filtersFor(new RouteKey("chat:c1:a1:x")));
        assertEquals(List.of("websocket.c1.*.agents"), bindings.filtersFor(new RouteKey("admin:c1:*")));
        assertEquals(List.of("websocket.*.*.agents"), bindings.filtersFor(new RouteKey("admin:*:*")));
        assertEquals(List.of(), bindings.filtersFor(new RouteKey("room:lobby")));
        // Every subject a filter names resolves back to the key (the two directions agree).
        assertEquals(List.of(new RouteKey("chat:c1:a1:x")), assertInstanceOf(SubjectBindings.Resolved.Ok.class,
                bindings.resolve("websocket.c1.a1.messages.x")).match().audience());
    }
}
