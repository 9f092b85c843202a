package io.relaymesh.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.relaymesh.bootstrap.config.RelaymeshConfig;

import javax.inject.Singleton;

/** A pod of a cluster: {@link ClusterMode}. */
@Singleton
@Component(modules = {CoreModule.class, ClusterMode.class, CryptoModule.class, WebModule.class, GrpcModule.class,
        NatsModule.class, PrimaryDialectModule.class, DialectsModule.class, ConversationsDialectModule.class,
        TopicsDialectModule.class, MailboxDialectModule.class, RoomsDialectModule.class})
public interface ClusterComponent extends RelaymeshComponent {

    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(RelaymeshConfig config);

        @BindsInstance
        Builder facts(RuntimeFacts facts);

        ClusterComponent build();
    }
}
