package io.relaymesh.adapters.grpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event ids this pod received from other pods lately, so that an event sent again (a retry
 * after a stream broke or an acknowledgement came too late) is acknowledged without reaching the
 * sockets twice. An id is claimed before its delivery and kept only once delivered: an id whose
 * first delivery is still running is neither delivered again nor acknowledged (the sender retries
 * it and then finds it done), and an id whose delivery failed is released for the retry.
 * Remembers the last {@value #CAPACITY} ids. Thread-safe.
 */
final class RecentDeliveries {
    static final int CAPACITY = 20_000;

    /** What a claim found. */
    enum Claim { NEW, DELIVERED, IN_PROGRESS }

    // true = delivered, false = being delivered; insertion order, the eldest go first.
    private final Map<String, Boolean> ids = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Claims each id of {@code batch} that is not known yet; says for each what it found, in order. */
    synchronized List<Claim> claim(List<String> batch) {
        List<Claim> claims = new ArrayList<>(batch.size());
        for (String id : batch) {
            Boolean delivered = ids.putIfAbsent(id, Boolean.FALSE);
            claims.add(delivered == null ? Claim.NEW : delivered ? Claim.DELIVERED : Claim.IN_PROGRESS);
        }
        return claims;
    }

    /** Settles claims: {@code delivered} are kept, {@code released} forgotten so that a retry delivers them. */
    synchronized void settle(Collection<String> delivered, Collection<String> released) {
        for (String id : delivered) {
            ids.replace(id, Boolean.TRUE);
        }
        for (String id : released) {
            ids.remove(id, Boolean.FALSE);
        }
    }
}
