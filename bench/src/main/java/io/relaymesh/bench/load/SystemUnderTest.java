package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One of the compared systems, running: its servers, how clients reach it, where a backend publishes
 * and what the servers report about themselves. Implementations: {@link RelaymeshSystem} (gateway pods
 * on Redis and NATS JetStream) and {@link SocketIoSystem} (Socket.IO nodes on the Redis adapter).
 */
public interface SystemUnderTest extends AutoCloseable {
    /** "relaymesh" or "socketio": the client and publisher kind of bench/node. */
    String name();

    /** The base URL of each server, in the order clients name them by index. */
    List<String> servers();

    /** The connect command's fields other than the clients (kind, servers, keys, timeout). */
    ObjectNode connectCommand();

    /** Publisher kind ("nats" or "socketio") and the URL it connects to. */
    String publisherKind();

    String publisherUrl();

    /** Where an event for {@code agent} of company {@code company} is published (subject or room). */
    String target(String company, String agent);

    List<Long> serverPids();

    /** System.nanoTime() when the last of the servers reported ready (a pod's /ready, a node's listening line). */
    long readyNanos();

    /** A snapshot of the servers' own counters (empty for systems without any). */
    Object countersSnapshot();

    /** The servers' own numbers between two snapshots, into the result. */
    void countersDelta(Object before, Object after, ObjectNode into);

    @Override
    void close();
}
