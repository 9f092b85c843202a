package io.relaymesh.adapters.grpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the server's refusals for assertions. Thread-safe. */
final class RecordingServerListener implements DeliveryServerListener {
    final List<String> unauthenticated = new CopyOnWriteArrayList<>();
    final List<String> rejected = new CopyOnWriteArrayList<>();

    @Override
    public void unauthenticated(String reason) {
        unauthenticated.add(reason);
    }

    @Override
    public void eventRejected(String reason) {
        rejected.add(reason);
    }
}
