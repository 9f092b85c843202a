package io.relaymesh.adapters.redis;

import io.relaymesh.domain.port.DeliveryLedger;
import io.relaymesh.domain.port.contract.DeliveryLedgerContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
class RedisDeliveryLedgerIT extends DeliveryLedgerContract {
    private static RedisConnections redis;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisDeliveryLedgerIT.class);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected DeliveryLedger createLedger() {
        return new RedisDeliveryLedger(redis);
    }
}
