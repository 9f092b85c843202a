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

    /** Backends publish to a room on {@code echo.{room}}, a subject of the dialects' own stream. */
    @Provides
    @IntoSet
    static io.relaymesh.domain.model.SubjectBinding echoSubjects() {
        return new io.relaymesh.domain.model.SubjectBinding("echo", io.relaymesh.domain.model.SubjectBinding.Stream.DIALECTS,
                "echo.{room}", java.util.List.of("echo:{room}"), io.relaymesh.domain.model.SubjectBinding.Start.ALL);
    }

    @Provides
    @IntoSet
    static Dialect echo(Provider<DialectSessions> sessions) {
        return new EchoRoomsDialect(sessions::get);
    }
}
