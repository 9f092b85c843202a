package io.relaymesh.adapters.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nats.client.NKey;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jnats options built from the settings: TLS with host name verification, and the credential
 * files. A creds file (user JWT) needs an operator-mode server to test end to end; here its handler
 * is checked to read the JWT and seed from the file.
 */
class NatsConnectionOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aTlsContext_isUsedWrapped_soThatHostNamesAreVerified_andKeptForTheHandshake() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);

        Options options = NatsConnections.options(NatsSettings.builder("tls://nats.example:4222").tls(tls).build()).build();

        assertInstanceOf(HostnameVerifyingSslContext.class, options.getSslContext());
        assertEquals(Options.HostnameResolveMode.HappyEyeballs, options.hostnameResolveMode());
    }

    @Test
    void noCredentialFile_setsNoAuthHandler() {
        assertNull(NatsConnections.options(NatsSettings.builder("nats://nats:4222").build()).build().getAuthHandler());
    }

    @Test
    void anNkeySeedFile_signsAsThatNkey_withoutAJwt() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        Path seed = Files.writeString(dir.resolve("user.nk"), new String(user.getSeed()) + "\n");

        var handler = NatsConnections.options(NatsSettings.builder("nats://nats:4222")
                .auth(new NatsAuth.NkeySeedFile(seed)).build()).build().getAuthHandler();

        assertEquals(new String(user.getPublicKey()), new String(handler.getID()));
        assertNull(handler.getJWT());
        byte[] nonce = "nonce".getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, user.verify(nonce, handler.sign(nonce)));
    }

    @Test
    void aCredsFile_presentsItsJwt_andSignsWithItsSeed() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        String jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln";
        Path creds = Files.writeString(dir.resolve("user.creds"), """
                -----BEGIN NATS USER JWT-----
                %s
                ------END NATS USER JWT------

                ************************* IMPORTANT *************************
                NKEY Seed printed below can be used to sign and prove identity.

                -----BEGIN USER NKEY SEED-----
                %s
                ------END USER NKEY SEED------
                """.formatted(jwt, new String(user.getSeed())));

        var handler = NatsConnections.options(NatsSettings.builder("nats://nats:4222")
                .auth(new NatsAuth.CredsFile(creds)).build()).build().getAuthHandler();

        assertNotNull(handler);
        assertEquals(jwt, new String(handler.getJWT()));
        assertEquals(new String(user.getPublicKey()), new String(handler.getID()));
    }
}
