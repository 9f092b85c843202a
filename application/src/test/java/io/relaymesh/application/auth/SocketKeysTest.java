package io.relaymesh.application.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which key a WebSocket upgrade may present ({@link ApiKeys#checkSocket}). */
class SocketKeysTest {
    private static ApiKeys keys(String client, String adminClient, boolean serverKeyAccepted) {
        return new ApiKeys("general-key", "admin-key", List.of(), List.of(),
                new ApiKeys.ClientKeys(client, adminClient, List.of("client-old"), List.of(), serverKeyAccepted));
    }

    @Test
    void serverKey_isRefusedOnSockets_byDefault_namingTheSetting() {
        var refused = assertInstanceOf(ApiKeys.SocketKey.Refused.class,
                keys("client-key", "admin-client", false).checkSocket("general-key", false));
        assertTrue(refused.serverKey());
        assertTrue(refused.message().contains("auth.secret_token"), refused.message());
        var admin = assertInstanceOf(ApiKeys.SocketKey.Refused.class,
                keys("client-key", "admin-client", false).checkSocket("admin-key", true));
        assertTrue(admin.message().contains("auth.admin_secret_token"), admin.message());
    }

    @Test
    void serverKey_isAcceptedOnSockets_onlyWithTheCompatibilitySetting() {
        var accepted = assertInstanceOf(ApiKeys.SocketKey.Accepted.class,
                keys("", "", true).checkSocket("general-key", false));
        assertTrue(accepted.serverKey());
    }

    @Test
    void configuredClientKey_isRequired_andItsRetiredValueStillOpens() {
        ApiKeys keys = keys("client-key", "admin-client", false);
        assertInstanceOf(ApiKeys.SocketKey.Accepted.class, keys.checkSocket("client-key", false));
        assertInstanceOf(ApiKeys.SocketKey.Accepted.class, keys.checkSocket("client-old", false));
        assertInstanceOf(ApiKeys.SocketKey.Refused.class, keys.checkSocket(null, false));
        assertInstanceOf(ApiKeys.SocketKey.Refused.class, keys.checkSocket("client-key", true));
        assertInstanceOf(ApiKeys.SocketKey.Accepted.class, keys.checkSocket("admin-client", true));
    }

    @Test
    void withoutClientKeys_theTokenAloneOpens_butAWrongKeyIsStillRefused() {
        ApiKeys keys = new ApiKeys("general-key", "admin-key", List.of(), List.of(),
                new ApiKeys.ClientKeys("", "", List.of(), List.of(), false));
        assertInstanceOf(ApiKeys.SocketKey.Accepted.class, keys.checkSocket(null, false));
        assertInstanceOf(ApiKeys.SocketKey.Accepted.class, keys.checkSocket("", true));
        assertInstanceOf(ApiKeys.SocketKey.Refused.class, keys.checkSocket("typo-key", false));
    }

    @Test
    void seedCompatibleMode_stillRequiresSomeKey_asTheSeedDid() {
        assertInstanceOf(ApiKeys.SocketKey.Refused.class, keys("", "", true).checkSocket(null, false));
    }

    @Test
    void clientKeys_areNeverHttpKeys_andAnEmptyClientKeyMatchesNothing() {
        ApiKeys keys = keys("client-key", "", false);
        assertTrue(keys.isClientKey("client-key"));
        assertFalse(keys.isGeneral("client-key"));
        assertFalse(keys.isAdmin("client-key"));
        assertFalse(keys.isClientKey(""));
        assertFalse(keys.isClientKey("general-key"));
    }
}
