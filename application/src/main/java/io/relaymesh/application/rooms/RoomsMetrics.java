package io.relaymesh.application.rooms;

/**
 * What the peer rooms count. Implementations are thread-safe and must not block. Topics never
 * appear in a label: they are shared secrets, and unbounded.
 */
public interface RoomsMetrics {

    /** A client frame (any type), {@code bytes} long. */
    void frameReceived(int bytes);

    /** A data frame of {@code bytes} decoded bytes relayed to its topic. */
    void dataRelayed(int bytes);

    /** Pods that did not take a relayed envelope (their peers missed it). */
    void relayMissed(int pods);

    void peerJoined();

    /** A peer left its topic; {@code reason}: leave, close, pod_gone, token_expired, lost. */
    void peerLeft(String reason, int peers);

    /** A join was refused; {@code reason}: duplicate, full, auth, invalid, unavailable. */
    void joinRefused(String reason);

    /** An error frame was sent; {@code reason} is a short label. */
    void error(String reason);

    /** A frame was dropped over a rate limit; {@code limit}: frames or bytes. */
    void rateLimited(String limit);

    RoomsMetrics NOOP = new RoomsMetrics() {
        public void frameReceived(int bytes) {
        }

        public void dataRelayed(int bytes) {
        }

        public void relayMissed(int pods) {
        }

        public void peerJoined() {
        }

        public void peerLeft(String reason, int peers) {
        }

        public void joinRefused(String reason) {
        }

        public void error(String reason) {
        }

        public void rateLimited(String limit) {
        }
    };
}
