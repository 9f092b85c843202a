package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;

import javax.inject.Provider;

/** Registers the test-only echo dialect: the whole of its wiring. */
@Module
public interface EchoDialectModule {

    @Provides
    @IntoSet
    static Dialect echo(Provider<DialectSessions> sessions) {
        return new EchoRoomsDialect(sessions::get);
    }
}
