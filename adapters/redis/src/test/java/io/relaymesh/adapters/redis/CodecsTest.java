package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecsTest {
    private static final Instant EXPIRES = Instant.parse("2031-05-01T12:00:00.123456789Z");

    @Test
    void claims_roundTripByType_andNeverAnswerTheOtherType() {
        UserClaims user = new UserClaims("acme", "agent", "u1", EXPIRES);
        AdminClaims admin = new AdminClaims("root", EXPIRES, "acme", "", "acme");

        assertEquals(Optional.of(user), ClaimsJson.decode(ClaimsJson.encode(user), UserClaims.class));
        assertEquals(Optional.of(admin), ClaimsJson.decode(ClaimsJson.encode(admin), AdminClaims.class));
        assertEquals(Optional.empty(), ClaimsJson.decode(ClaimsJson.encode(user), AdminClaims.class));
        assertEquals(Optional.empty(), ClaimsJson.decode(ClaimsJson.encode(admin), UserClaims.class));
        assertEquals(Optional.empty(), ClaimsJson.decode(ClaimsJson.encode(user), String.class));
    }

    @Test
    void claims_ofOtherTypes_cannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> ClaimsJson.encode("claims"));
    }

    @Test
    void killRequest_roundTrips_andGarbageIsEmpty() {
        KillRequest request = new KillRequest(new SessionKey("session:admin:root"),
                new SessionOwner(new PodId("pod-1"), new ConnectionId("c/with/slashes")));

        assertEquals(Optional.of(request), KillRequestJson.decode(KillRequestJson.encode(request)));
        assertEquals(Optional.empty(), KillRequestJson.decode("nonsense"));
        assertEquals(Optional.empty(), KillRequestJson.decode("{\"session_key\":\"nope\",\"victim\":\"p/c\"}"));
        assertEquals(Optional.empty(), KillRequestJson.decode("{\"session_key\":\"session:a\"}"));
    }

    @Test
    void killRequest_carriesItsReason_andOneWithoutAReasonIsATakeover() {
        SessionOwner victim = new SessionOwner(new PodId("pod-1"), new ConnectionId("c1"));
        KillRequest kick = new KillRequest(new SessionKey("session:a:b:c"), victim, KillSwitch.Reason.KICK);

        assertTrue(KillRequestJson.encode(kick).contains("\"reason\":\"kick\""), KillRequestJson.encode(kick));
        assertEquals(Optional.of(kick), KillRequestJson.decode(KillRequestJson.encode(kick)));
        assertEquals(KillSwitch.Reason.TAKEOVER, KillRequestJson.decode(
                "{\"session_key\":\"session:a:b:c\",\"victim\":\"pod-1/c1\"}").orElseThrow().reason());
        assertEquals(KillSwitch.Reason.TAKEOVER, KillRequestJson.decode(
                "{\"session_key\":\"session:a:b:c\",\"victim\":\"pod-1/c1\",\"reason\":\"later\"}").orElseThrow().reason());
    }

    @Test
    void podStats_roundTrip_andGarbageIsEmpty() {
        PodStats stats = new PodStats(new PodId("pod-1"), "10.0.0.5:50051", 1_763_799_000_000L, 1_763_799_999_500L,
                19, 1, 11, 6.0, 20.5, 3.25, new LatencySummary(1.2, 4.0, 8.3, 12.0, 200), 1234, 7);

        assertEquals(Optional.of(stats), PodStatsJson.decode(PodStatsJson.encode(stats)));
        assertEquals(Optional.empty(), PodStatsJson.decode("{not json"));
        assertEquals(Optional.empty(), PodStatsJson.decode("{\"pod_id\":\"\"}"));
    }

    @Test
    void scanPattern_escapesGlobCharacters() {
        assertEquals("rm\\*\\?\\[x\\]\\\\:session:", KeyScan.escape("rm*?[x]\\:session:"));
    }

    @Test
    void script_sha1_isWhatScriptLoadReturns() {
        // redis-cli SCRIPT LOAD "return 1" answers e0e1f9fabfc9d4800c877a703b823ac0578ff8db
        assertEquals("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", RedisScript.of("one", "return 1").sha1());
    }

    @Test
    void ttl_mustBePositive_roundsUpSubMillis_andClampsHuge() {
        assertThrows(IllegalArgumentException.class, () -> Ttls.positiveMillis(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Ttls.positiveMillis(Duration.ofMillis(-5)));
        assertEquals(1, Ttls.positiveMillis(Duration.ofNanos(10)));
        assertEquals(Ttls.MAX_MILLIS, Ttls.positiveMillis(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
