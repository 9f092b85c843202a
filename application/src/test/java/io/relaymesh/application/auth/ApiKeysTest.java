package io.relaymesh.application.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {
    private final ApiKeys keys = new ApiKeys("general-2", "admin-2", List.of("general-1", "general-0"), List.of("admin-1"));

    @Test
    void currentAndEveryPreviousGeneralKey_isAGeneralKey() {
        assertTrue(keys.isGeneral("general-2"));
        assertTrue(keys.isGeneral("general-1"));
        assertTrue(keys.isGeneral("general-0"));
    }

    @Test
    void currentAndPreviousAdminKey_isAnAdminKey() {
        assertTrue(keys.isAdmin("admin-2"));
        assertTrue(keys.isAdmin("admin-1"));
    }

    @Test
    void generalAndAdminKeys_areNotInterchangeable() {
        assertFalse(keys.isAdmin("general-2"));
        assertFalse(keys.isAdmin("general-1"));
        assertFalse(keys.isGeneral("admin-2"));
        assertFalse(keys.isGeneral("admin-1"));
    }

    @Test
    void prefixesAndExtensionsOfAKey_areRefused() {
        assertFalse(keys.isGeneral("general-"));
        assertFalse(keys.isGeneral("general-22"));
        assertFalse(keys.isGeneral("General-2"));
        assertFalse(keys.isAdmin("admin-2 "));
    }

    @Test
    void missingKey_isRefusedEvenWhenAnEmptyPreviousKeyIsConfigured() {
        ApiKeys withEmptyPrevious = new ApiKeys("general", "admin", List.of(""), List.of(""));

        assertFalse(withEmptyPrevious.isGeneral(null));
        assertFalse(withEmptyPrevious.isGeneral(""));
        assertFalse(withEmptyPrevious.isAdmin(""));
    }

    @Test
    void toString_neverShowsTheKeys() {
        assertEquals("ApiKeys[masked]", keys.toString());
    }
}
