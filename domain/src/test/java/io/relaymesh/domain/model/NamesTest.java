package io.relaymesh.domain.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    @Test
    void ordinaryIds_areSegments() {
        for (String id : new String[] {"acme", "agent-7", "user_42", "Zoë", "客服", "a".repeat(128)}) {
            assertNull(Names.problemWith(id), id);
        }
    }

    @Test
    void idsThatWouldForgeLogLinesOrCollideInKeys_areRefused() {
        for (String id : new String[] {"a\nb", "a\rb", "a\u0000b", "a b", "a:b", "a.b", "a*", "a>", "a/b", "a\"b",
                "a\\b", "a\u202Eb", "a\u200Bb", "a\uD800b", "a".repeat(129), "", " "}) {
            assertTrue(Names.problemWith(id) != null, "should refuse " + Names.printable(id));
        }
    }

    @Test
    void eventIds_acceptUuidsUlidsAndStreamSequences_upTo128Characters() {
        for (String id : new String[] {"3f2b8c1e-9d4a-4e7b-8a1f-2c3d4e5f6a7b", "01HZX3KQ7Y8W9V0T1S2R3Q4P5N",
                "wa_stream-12345", "order:42/line@3+x=y#z", "e".repeat(128)}) {
            assertNull(Names.eventIdProblem(id), id);
        }
    }

    @Test
    void eventIds_withControlCharactersQuotesNonAsciiOrOver128Characters_areRefused() {
        assertEquals("must be at most 128 characters, got 129", Names.eventIdProblem("e".repeat(129)));
        for (String id : new String[] {"a\nb", "a b", "a\"b", "a\\b", "é", "a\u2028b", "", "  "}) {
            assertTrue(Names.eventIdProblem(id) != null, "should refuse " + Names.printable(id));
        }
    }

    @Test
    void anEnvelopeCannotBeBuiltWithAnInvalidId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Envelope("a\nb", List.of(RouteKey.agent("c", "a")), new byte[0], Map.of(), 1));
        assertTrue(e.getMessage().startsWith("event_id must contain only visible ASCII"), e.getMessage());
    }

    @Test
    void printable_replacesWhatALogLineMustNotHold_andShortensLongValues() {
        assertEquals("pod-x?forged", Names.printable("pod-x\nforged"));
        assertEquals("a".repeat(64) + "…(100 chars)", Names.printable("a".repeat(100)));
        assertEquals("(none)", Names.printable(null));
    }
}
