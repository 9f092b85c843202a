package io.relaymesh.domain.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is online across the cluster. A user is online while at least one of their connections has
 * an unexpired entry: written when the connection opens, renewed on its heartbeats, removed when
 * it closes. Entries of connections that vanished without a close (their pod died) lapse at their
 * expiry, and {@link #sweep} reports the users that went offline that way. Each change to offline
 * is reported to exactly one caller, whichever pod made it, so it is announced once.
 *
 * <p>It also keeps, per online period, the groups a user joined (where their presence changes are
 * announced) and the online members of each group (for a presence query). Thread-safe.
 */
public interface PresenceRegistry {

    /** A user who went offline, with the groups that should hear it. */
    record Offline(String user, Set<String> groups) {
        public Offline {
            groups = Set.copyOf(groups);
        }
    }

    /** One connection's entry: renewed until {@code expiresAt}. */
    record Entry(String user, String connection, Instant expiresAt) {
    }

    /**
     * Writes (or renews) {@code entry}; expired entries of the user are dropped first.
     *
     * @return true when the user had no live entry before: they came online
     */
    boolean connected(Entry entry, Instant now);

    /**
     * Renews many entries in one round trip (heartbeats); an entry that lapsed meanwhile is written
     * again.
     *
     * @return the users among them that came online again
     */
    Set<String> renewed(List<Entry> entries, Instant now);

    /**
     * Removes a closed connection's entry.
     *
     * @return the user's groups when this was their last live entry (they went offline), else null
     */
    Set<String> disconnected(String user, String connection, Instant now);

    /**
     * Records that {@code user} joined {@code group} in this online period.
     *
     * @return true when it is new for this period (the group has not heard they are online)
     */
    boolean joined(String user, String group);

    /** Users whose every entry lapsed before {@code now} (at most {@code limit}), now offline. */
    List<Offline> sweep(Instant now, int limit);

    /** Whether each of {@code users} is online at {@code now}. */
    Map<String, Boolean> online(Collection<String> users, Instant now);

    /** The users that joined {@code group} and are online at {@code now}. */
    Set<String> onlineMembers(String group, Instant now);
}
