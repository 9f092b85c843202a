package io.relaymesh.bootstrap.wiring;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** A pod directory that passes every call on, for tests that watch some of them. */
class ForwardingDirectory implements PodDirectory {
    private final PodDirectory delegate;

    ForwardingDirectory(PodDirectory delegate) {
        this.delegate = delegate;
    }

    @Override
    public void heartbeat(PodId pod, String address, Duration ttl) {
        delegate.heartbeat(pod, address, ttl);
    }

    @Override
    public Optional<String> address(PodId pod) {
        return delegate.address(pod);
    }

    @Override
    public Set<PodId> livePods() {
        return delegate.livePods();
    }

    @Override
    public void remove(PodId pod) {
        delegate.remove(pod);
    }
}
