package io.relaymesh.application.rooms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Topic statistics as this pod sees them: the topics its peers are in, how many peers each has
 * here and cluster-wide. Topics are shared secrets (whoever knows one can join it), so they appear
 * in logs only as a {@link #fingerprint}. Immutable.
 *
 * @param topics       topics with a peer on this pod
 * @param localPeers   peers on this pod
 * @param clusterPeers peers in those topics on every pod, or -1 when the roster could not be read
 * @param largest      the topics with the most peers cluster-wide, largest first (at most {@link #LISTED})
 */
public record RoomStats(int topics, int localPeers, int clusterPeers, List<Topic> largest) {
    /** Topics listed one per line at most. */
    public static final int LISTED = 20;

    /** One topic: its fingerprint, peers on this pod, peers cluster-wide (-1 unknown). */
    public record Topic(String fingerprint, int localPeers, int clusterPeers) {
    }

    public RoomStats {
        largest = List.copyOf(largest);
    }

    static RoomStats of(Map<String, Integer> local, Map<String, Integer> cluster) {
        List<Topic> all = new ArrayList<>();
        int localPeers = 0;
        int clusterPeers = cluster == null ? -1 : 0;
        for (Map.Entry<String, Integer> entry : local.entrySet()) {
            int everywhere = cluster == null ? -1 : cluster.getOrDefault(entry.getKey(), 0);
            all.add(new Topic(fingerprint(entry.getKey()), entry.getValue(), everywhere));
            localPeers += entry.getValue();
            if (cluster != null) {
                clusterPeers += everywhere;
            }
        }
        all.sort((a, b) -> Integer.compare(Math.max(b.clusterPeers(), b.localPeers()),
                Math.max(a.clusterPeers(), a.localPeers())));
        return new RoomStats(local.size(), localPeers, clusterPeers, all.subList(0, Math.min(LISTED, all.size())));
    }

    /** The log lines, in the seed's shape ("Stats: 3 topics, 12 total peers", then one line per topic). */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("rooms stats: " + topics + " topics, " + localPeers + " peers on this pod"
                + (clusterPeers < 0 ? " (cluster-wide counts unavailable)" : ", " + clusterPeers
                + " peers in these topics cluster-wide"));
        for (Topic topic : largest) {
            lines.add("rooms stats:   - topic " + topic.fingerprint() + ": " + (topic.clusterPeers() < 0 ? "?"
                    : topic.clusterPeers()) + " peers (" + topic.localPeers() + " on this pod)");
        }
        if (topics > largest.size()) {
            lines.add("rooms stats:   … and " + (topics - largest.size()) + " more topics");
        }
        return lines;
    }

    /** The first 12 hex digits of the topic's SHA-256: enough to tell topics apart, nothing to join one with. */
    public static String fingerprint(String topic) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
