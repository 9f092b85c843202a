package io.relaymesh.adapters.redis;

import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.mailbox.contract.MailboxStoreContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mailbox contract on a real Redis; each test has a key prefix (and so an expiry index) of its own. */
@ExtendWith(RealServices.class)
class RedisMailboxStoreIT extends MailboxStoreContract {
    private static RedisServer server;

    @BeforeAll
    static void server(RedisServer redis) {
        server = redis;
    }

    @Override
    protected MailboxStore createStore() {
        RedisConnections redis = TestRedis.connect(server, RedisMailboxStoreIT.class);
        RedisMailboxStore store = new RedisMailboxStore(redis);
        return new MailboxStore() {
            public boolean store(io.relaymesh.domain.mailbox.MailboxMessage message) {
                return store.store(message);
            }

            public java.util.List<io.relaymesh.domain.mailbox.MailboxMessage> pending(String recipient, int limit,
                                                                                     long nowMillis) {
                return store.pending(recipient, limit, nowMillis);
            }

            public Ack ack(String recipient, String id) {
                return store.ack(recipient, id);
            }

            public int sweep(long nowMillis, int max) {
                return store.sweep(nowMillis, max);
            }

            public String problem() {
                return store.problem();
            }

            public void close() {
                redis.close();
            }
        };
    }
}
