package io.relaymesh.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.relaymesh.bootstrap.config.RelaymeshConfig;

import javax.inject.Singleton;

/** The standalone component plus the test-only echo dialect's module. */
@Singleton
@Component(modules = {CoreModule.class, StandaloneMode.class, RedisModule.class, CryptoModule.class, WebModule.class,
        GrpcModule.class, NatsModule.class, PrimaryDialectModule.class, DialectsModule.class, EchoDialectModule.class})
public interface EchoStandaloneComponent extends RelaymeshComponent {

    static RelaymeshComponent build(RelaymeshConfig config, RuntimeFacts facts) {
        return DaggerEchoStandaloneComponent.builder().config(config).facts(facts).build();
    }

    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(RelaymeshConfig config);

        @BindsInstance
        Builder facts(RuntimeFacts facts);

        EchoStandaloneComponent build();
    }
}
