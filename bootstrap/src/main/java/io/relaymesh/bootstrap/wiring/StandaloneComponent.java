package io.relaymesh.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.relaymesh.bootstrap.config.RelaymeshConfig;

import javax.inject.Singleton;

/** The gateway on one process: {@link StandaloneMode}. Redis' module is there for the cluster-only parts the
 * graph names, which standalone never builds. */
@Singleton
@Component(modules = {CoreModule.class, StandaloneMode.class, RedisModule.class, CryptoModule.class, WebModule.class, GrpcModule.class,
        NatsModule.class, PrimaryDialectModule.class, DialectsModule.class, ConversationsDialectModule.class,
        TopicsDialectModule.class, MailboxDialectModule.class, RoomsDialectModule.class})
public interface StandaloneComponent extends RelaymeshComponent {

    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(RelaymeshConfig config);

        @BindsInstance
        Builder facts(RuntimeFacts facts);

        StandaloneComponent build();
    }
}
