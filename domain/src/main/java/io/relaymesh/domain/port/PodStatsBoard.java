package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Where every pod posts its {@link PodStats} so that any pod can show the whole cluster. A post
 * lives for its TTL, so a pod that stops posting drops off. Thread-safe.
 */
public interface PodStatsBoard {

    /** Posts (or replaces) {@code stats.pod()}'s stats for {@code ttl}. */
    void publish(PodStats stats, Duration ttl);

    /** The unexpired stats of each of {@code pods} that has some, in one round trip. */
    Map<PodId, PodStats> read(Collection<PodId> pods);
}
