package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.adapters.crypto.jwt.JwtSettings;
import io.relaymesh.adapters.crypto.jwt.NimbusJwtVerifier;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.JwtConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.TokenCodec;

import javax.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tokens: AES-256-GCM with separate user and admin keys, and JWTs (nimbus-jose-jwt); each held in a
 * Settings so a reload can rotate keys and re-read the JWKS file.
 */
@Module
public interface CryptoModule {

    @Provides
    @Singleton
    static Settings<TokenCodec> tokenCodec(RelaymeshConfig config) {
        return new Settings<>(codecOf(config));
    }

    static TokenCodec codecOf(RelaymeshConfig config) {
        return new AesGcmTokenCodec(config.auth().tokenAesKey(), config.auth().adminTokenAesKey());
    }

    @Provides
    @Singleton
    static Settings<JwtVerifier> jwtVerifier(RelaymeshConfig config) {
        return new Settings<>(jwtVerifierOf(config));
    }

    /**
     * A verifier for the JWT settings of {@code config}; reads the JWKS file now (a reload calls it
     * again, which is how a rotated JWKS file takes effect).
     *
     * @throws IllegalArgumentException naming the setting when the JWKS file or secret is unusable
     */
    static JwtVerifier jwtVerifierOf(RelaymeshConfig config) {
        JwtConfig jwt = config.auth().jwt();
        return NimbusJwtVerifier.of(new JwtSettings(jwt.secret(),
                jwt.jwksFile().isEmpty() ? Optional.empty() : Optional.of(Path.of(jwt.jwksFile())),
                jwt.jwksUrl(), jwt.issuer(), jwt.audience(), jwt.leeway()), Clock.SYSTEM);
    }

    /** What scopes the token cache for JWTs: changes whenever a reload changes the JWT keys. */
    static String jwtFingerprint(JwtVerifier verifier) {
        return verifier instanceof NimbusJwtVerifier nimbus ? nimbus.keyFingerprint() : "nojwt";
    }
}
