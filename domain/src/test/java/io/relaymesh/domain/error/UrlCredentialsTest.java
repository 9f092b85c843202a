package io.relaymesh.domain.error;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Credentials in URLs are replaced by *** wherever the text holds them; everything else stays. */
class UrlCredentialsTest {

    @Test
    void userAndPassword_areStripped_hostAndPortStay() {
        assertEquals("nats://***@nats:4222", UrlCredentials.strip("nats://app:s3cret@nats:4222"));
        assertEquals("tls://***@10.0.0.1:4222", UrlCredentials.strip("tls://TOKEN123@10.0.0.1:4222"));
        assertEquals("rediss://***@[::1]:6380/0", UrlCredentials.strip("rediss://default:pw@[::1]:6380/0"));
    }

    @Test
    void everyUrlOfAList_andUrlsInsideASentence_areStripped() {
        assertEquals("cannot connect to nats://***@a:4222,nats://***@b:4222: Unable to connect to [nats://***@a:4222]",
                UrlCredentials.strip("cannot connect to nats://u:p@a:4222,nats://u:p@b:4222: Unable to connect to [nats://u:p@a:4222]"));
    }

    @Test
    void aRawAtSignInThePassword_isStrippedWithIt() {
        assertEquals("nats://***@host:4222", UrlCredentials.strip("nats://user:p@ss@host:4222"));
    }

    @Test
    void textWithoutCredentials_isReturnedAsItIs() {
        String plain = "NATS connected to nats://127.0.0.1:4222 (mail ops@example.com)";
        assertSame(plain, UrlCredentials.strip(plain));
        assertEquals("see https://example.com/a@b", UrlCredentials.strip("see https://example.com/a@b"), "an @ in a path is no user info");
        assertNull(UrlCredentials.strip(null));
    }
}
