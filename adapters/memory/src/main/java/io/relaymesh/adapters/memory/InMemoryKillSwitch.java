package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.KillSwitch;

import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Kill switch of a single process: publish/subscribe by pod id, like the Redis channel
 * {@code session_kill:{pod id}}; a request nobody listens for is dropped. Thread-safe. Handlers run
 * on virtual threads, never on the requesting thread (a handler closes a socket, which may block),
 * one request at a time per listener and in the order sent. Closing the switch closes every listener.
 */
public final class InMemoryKillSwitch implements KillSwitch, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InMemoryKillSwitch.class.getName());

    private final ConcurrentMap<PodId, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public boolean requestKill(KillRequest request) {
        Objects.requireNonNull(request, "request");
        boolean received = false;
        for (Listener listener : listeners.getOrDefault(request.victim().pod(), Set.of())) {
            listener.offer(request);
            received = true;
        }
        return received;
    }

    @Override
    public AutoCloseable listen(PodId pod, Consumer<KillRequest> handler) {
        Listener listener = new Listener(Objects.requireNonNull(pod, "pod_id"), Objects.requireNonNull(handler, "handler"));
        // compute (not computeIfAbsent + add) so a concurrent close cannot drop the set we add to.
        listeners.compute(pod, (p, current) -> {
            Set<Listener> set = current == null ? ConcurrentHashMap.newKeySet() : current;
            set.add(listener);
            return set;
        });
        return listener;
    }

    /** Stops every listener; requests already being handled finish on their own. */
    @Override
    public void close() {
        listeners.values().forEach(set -> set.forEach(Listener::close));
        executor.shutdown();
    }

    /** Whether any listener for {@code pod} is open; lets tests check that closed listeners are forgotten. */
    boolean listensFor(PodId pod) {
        return listeners.containsKey(pod);
    }

    /**
     * One subscription. Requests queue up and one drain task at a time hands them to the handler,
     * which keeps them in order without parking a thread per idle listener.
     */
    private final class Listener implements AutoCloseable {
        private final PodId pod;
        private final Consumer<KillRequest> handler;
        private final Queue<KillRequest> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile boolean closed;

        Listener(PodId pod, Consumer<KillRequest> handler) {
            this.pod = pod;
            this.handler = handler;
        }

        void offer(KillRequest request) {
            if (!closed) {
                pending.add(request);
                scheduleDrain();
            }
        }

        private void scheduleDrain() {
            if (draining.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException switchClosed) {
                    draining.set(false);
                }
            }
        }

        private void drain() {
            try {
                KillRequest request;
                // Checking closed before each request is what stops delivery as soon as close returns.
                while (!closed && (request = pending.poll()) != null) {
                    deliver(request);
                }
            } finally {
                draining.set(false);
            }
            // A request offered after the last poll but before draining was reset would wait forever.
            if (!closed && !pending.isEmpty()) {
                scheduleDrain();
            }
        }

        private void deliver(KillRequest request) {
            try {
                handler.accept(request);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "kill request handler failed; pod_id=" + pod + " session_key="
                        + request.key() + " connection_id=" + request.victim().connection(), e);
            }
        }

        @Override
        public void close() {
            closed = true;
            pending.clear();
            listeners.computeIfPresent(pod, (p, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }
}
