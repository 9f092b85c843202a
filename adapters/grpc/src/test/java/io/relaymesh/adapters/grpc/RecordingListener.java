package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.PodId;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the forwarder reports, per peer. Thread-safe. */
final class RecordingListener implements ForwarderListener {
    record Sent(PodId peer, int events) {
    }

    record Retry(PodId peer, int attempt) {
    }

    record Circuit(PodId peer, String state) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final List<Throwable> failed = new CopyOnWriteArrayList<>();
    final List<Retry> retries = new CopyOnWriteArrayList<>();
    final List<Circuit> circuit = new CopyOnWriteArrayList<>();
    final List<PodId> added = new CopyOnWriteArrayList<>();
    final List<PodId> warmed = new CopyOnWriteArrayList<>();
    final List<PodId> opened = new CopyOnWriteArrayList<>();

    @Override
    public void peerAdded(PodId peer) {
        added.add(peer);
    }

    @Override
    public void peerWarmed(PodId peer) {
        warmed.add(peer);
    }

    @Override
    public void streamOpened(PodId peer) {
        opened.add(peer);
    }

    @Override
    public void batchSent(PodId peer, int events, long latencyNanos) {
        sent.add(new Sent(peer, events));
    }

    @Override
    public void batchFailed(PodId peer, Throwable cause) {
        failed.add(cause);
    }

    @Override
    public void retried(PodId peer, int attempt) {
        retries.add(new Retry(peer, attempt));
    }

    @Override
    public void circuitChanged(PodId peer, String state) {
        circuit.add(new Circuit(peer, state));
    }

    List<String> states(PodId peer) {
        return circuit.stream().filter(c -> c.peer().equals(peer)).map(Circuit::state).toList();
    }
}
