package io.relaymesh.adapters.redis;

import io.relaymesh.domain.port.RoomRoster;
import io.relaymesh.domain.port.contract.RoomRosterContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
class RedisRoomRosterIT extends RoomRosterContract {
    private static RedisConnections redis;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisRoomRosterIT.class);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected RoomRoster createRoster() {
        return new RedisRoomRoster(redis);
    }
}
