package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.relaymesh.adapters.web.dialect.primary.PrimarySubjects;
import io.relaymesh.domain.model.SubjectBinding;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The primary (Daisi) protocol's part of the core's configuration: its inbound subjects. Its
 * endpoints are served by the web adapter's primary listener.
 */
@Module
public interface PrimaryDialectModule {

    @Provides
    @ElementsIntoSet
    static Set<SubjectBinding> primarySubjects() {
        return new LinkedHashSet<>(PrimarySubjects.bindings());
    }
}
