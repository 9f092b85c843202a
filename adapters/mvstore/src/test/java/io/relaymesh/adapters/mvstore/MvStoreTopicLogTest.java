package io.relaymesh.adapters.mvstore;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.domain.topics.contract.TopicLogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MvStoreTopicLogTest extends TopicLogContract {
    @TempDir
    Path dir;
    private int files;

    @Override
    protected TopicLog createLog(Duration retention, int maxPerTopic) {
        return new MvStoreTopicLog(dir.resolve("log" + files++ + ".mv.db"), retention, maxPerTopic);
    }

    @Test
    void messagesAcksAndStarts_outliveTheProcessObject() {
        Path file = dir.resolve("again/topics.mv.db");
        long now = System.currentTimeMillis();
        try (MvStoreTopicLog first = new MvStoreTopicLog(file, Duration.ofHours(1), 100)) {
            first.startConsumer("u/c", "t");
            first.append(new TopicLog.NewMessage("a", "t", "1", now, now + 60_000, null));
            first.append(new TopicLog.NewMessage("b", "t", "2", now, now + 60_000, null));
            first.ack("u/c", List.of("a"));
        }
        try (MvStoreTopicLog again = new MvStoreTopicLog(file, Duration.ofHours(1), 100)) {
            List<TopicMessage> pending = again.pending("u/c", "t", 0, 10, now);
            assertEquals(List.of("b"), pending.stream().map(TopicMessage::messageId).toList());
            again.append(new TopicLog.NewMessage("c", "t", "3", now, now + 60_000, null));
            assertEquals(List.of("b", "c"), again.pending("u/c", "t", 0, 10, now).stream().map(TopicMessage::messageId)
                    .toList(), "sequences continue after a reopen");
        }
    }
}
