package io.relaymesh.adapters.mvstore;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.domain.topics.contract.TopicLogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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

    @Test
    void concurrentAppends_shareCommits_andEveryFlushedOneIsInTheFileAsAKillWouldLeaveIt() throws Exception {
        Path file = dir.resolve("group/topics.mv.db");
        long now = System.currentTimeMillis();
        int writers = 8;
        int each = 200;
        try (MvStoreTopicLog log = new MvStoreTopicLog(file, Duration.ofHours(1), 100_000);
             ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            log.startConsumer("u/c", "t");
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertInstanceOf(TopicLog.Appended.Stored.class, log.append(new TopicLog.NewMessage(
                                "w" + writer + "-" + i, "t", "{}", now, now + 60_000, "k" + writer + "-" + i)));
                        log.flush(); // as the publisher does before it answers
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            // Every append has been flushed: copy the file while the store is open, as a kill -9 leaves it.
            Path copy = dir.resolve("group/copy.mv.db");
            Files.copy(file, copy);
            assertInstanceOf(TopicLog.Appended.Duplicate.class, log.append(new TopicLog.NewMessage(
                    "other", "t", "{}", now, now + 60_000, "k3-7")), "a retried idempotency key");
            try (MvStoreTopicLog reopened = new MvStoreTopicLog(copy, Duration.ofHours(1), 100_000)) {
                List<TopicMessage> all = reopened.pending("u/c", "t", 0, writers * each + 10, now);
                Set<String> ids = new HashSet<>();
                all.forEach(m -> ids.add(m.messageId()));
                assertEquals(writers * each, ids.size(), "every flushed append is in the file");
                for (int i = 1; i < all.size(); i++) {
                    assertEquals(all.get(i - 1).seq() + 1, all.get(i).seq(), "sequences without a gap");
                }
            }
        }
    }

    @Test
    void anAckWithoutFlush_isInTheFileWithinAboutASecond_andAFlushedOneAtOnce() throws Exception {
        Path file = dir.resolve("acks/topics.mv.db");
        long now = System.currentTimeMillis();
        try (MvStoreTopicLog log = new MvStoreTopicLog(file, Duration.ofHours(1), 100)) {
            log.startConsumer("u/c", "t");
            for (String id : List.of("a", "b", "c")) {
                log.append(new TopicLog.NewMessage(id, "t", "{}", now, now + 60_000, null));
            }
            log.flush();
            log.ack("u/c", List.of("a"));
            log.flush();
            assertEquals(List.of("b", "c"), pendingInACopy(file, "now", now), "a flushed ack is in the file");

            log.ack("u/c", List.of("b")); // as a WebSocket ack frame: no flush
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            List<String> pending = pendingInACopy(file, "later0", now);
            for (int i = 1; !pending.equals(List.of("c")) && System.nanoTime() < deadline; i++) {
                Thread.sleep(200);
                pending = pendingInACopy(file, "later" + i, now);
            }
            assertEquals(List.of("c"), pending, "the once-a-second commit took the unflushed ack");
        }
    }

    /** What a kill -9 now would leave: the file copied while the store is open, read back. */
    private List<String> pendingInACopy(Path file, String name, long now) throws Exception {
        Path copy = file.resolveSibling(name + ".mv.db");
        Files.copy(file, copy);
        try (MvStoreTopicLog reopened = new MvStoreTopicLog(copy, Duration.ofHours(1), 100)) {
            return reopened.pending("u/c", "t", 0, 10, now).stream().map(TopicMessage::messageId).toList();
        }
    }
}
