package io.relaymesh.adapters.redis;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.contract.TopicLogContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(RealServices.class)
class RedisTopicLogIT extends TopicLogContract {
    private static RedisConnections redis;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisTopicLogIT.class);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected TopicLog createLog(Duration retention, int maxPerTopic) {
        return new RedisTopicLog(redis, retention, maxPerTopic);
    }

    @Test
    void aSequence_isTheStreamEntryIdAsOneNumber_andBack() {
        long seq = RedisTopicLog.seq("1733500000123-7");
        assertEquals("1733500000123-7", RedisTopicLog.entryId(seq));
        assertEquals(true, RedisTopicLog.seq("1733500000123-8") > seq);
        assertEquals(true, RedisTopicLog.seq("1733500000124-0") > RedisTopicLog.seq("1733500000123-9"));
    }
}
