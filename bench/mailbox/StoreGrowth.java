// Disk per message and stores/s of the standalone store: java -cp <mvstore+domain classes, h2 jar> StoreGrowth.java FILE N [ack]
import io.relaymesh.adapters.mvstore.MvStoreMailboxStore;
import io.relaymesh.domain.mailbox.MailboxMessage;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

public class StoreGrowth {
    public static void main(String[] a) throws Exception {
        Path f = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        boolean ack = a.length > 2 && a[2].equals("ack");
        MvStoreMailboxStore store = new MvStoreMailboxStore(f);
        ExecutorService ex = Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int me = t;
            fs.add(ex.submit(() -> {
                for (int i = 0; i < n / 16; i++) {
                    String id = UUID.randomUUID().toString();
                    store.store(new MailboxMessage(id, "sender-" + me, "wayfarer-" + (i % 1000), "A".repeat(136), 1, System.currentTimeMillis() + 3_600_000));
                    if (ack) store.ack("wayfarer-" + (i % 1000), id);
                }
                return null;
            }));
        }
        for (Future<?> x : fs) x.get();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d messages%s in %.1f s (%.0f/s); file %d bytes (%.0f B/message)%n", n, ack ? " stored+acked" : " stored", s, n / s, Files.size(f), (double) Files.size(f) / n);
        store.close();
        System.out.printf("after close: file %d bytes%n", Files.size(f));
        ex.shutdown();
    }
}
