package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.TokenCodec;

import javax.inject.Singleton;

/** Tokens: AES-256-GCM with separate user and admin keys; held in a Settings so keys can rotate. */
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
}
