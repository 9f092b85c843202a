// Sweeper cost of the standalone store: java -cp <mvstore+domain classes, h2 jar> StoreSweep.java FILE N
import io.relaymesh.adapters.mvstore.MvStoreMailboxStore;
import io.relaymesh.domain.mailbox.MailboxMessage;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

/** Fills a store with N already-expired messages (16 writers), then times the sweep of all of them (batches of 1000). */
public class StoreSweep {
    static final int THREADS = Integer.getInteger("threads", 16);
    public static void main(String[] a) throws Exception {
        Path f = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        MvStoreMailboxStore store = new MvStoreMailboxStore(f);
        ExecutorService ex = Executors.newFixedThreadPool(THREADS);
        long past = System.currentTimeMillis() - 1000;
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            fs.add(ex.submit(() -> {
                for (int i = 0; i < n / THREADS; i++) {
                    store.store(new MailboxMessage(UUID.randomUUID().toString(), "s" + me, "w" + (i % 1000), "A".repeat(136), 1, past));
                }
                return null;
            }));
        }
        for (Future<?> x : fs) x.get();
        ex.shutdown();
        System.out.printf("filled %d, file %d bytes%n", n, Files.size(f));
        long t0 = System.nanoTime();
        int total = 0, removed;
        do {
            removed = store.sweep(System.currentTimeMillis(), 1000);
            total += removed;
        } while (removed == 1000);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("swept %d in %.2f s (%.0f/s, %.1f us each); file %d bytes%n", total, s, total / s, s * 1e6 / total, Files.size(f));
        store.close();
    }
}
