package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.ChildProcesses;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Socket.IO 4 under test: N Node processes of bench/node/sioserver.js with @socket.io/redis-adapter on
 * the run's redis-server; events are emitted into Redis by @socket.io/redis-emitter.
 */
public final class SocketIoSystem implements SystemUnderTest {
    private final List<NodeProcess> nodes;
    private final List<String> urls;
    private final String redisUrl;
    private final long readyNanos;

    private SocketIoSystem(List<NodeProcess> nodes, List<String> urls, String redisUrl, long readyNanos) {
        this.nodes = nodes;
        this.urls = urls;
        this.redisUrl = redisUrl;
        this.readyNanos = readyNanos;
    }

    public static SocketIoSystem start(int count, String redisUrl, Path nodeDir, Path stderr, ChildProcesses children) {
        List<NodeProcess> nodes = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                NodeProcess node = NodeProcess.start("socketio-" + (char) ('a' + i), nodeDir, stderr, children,
                        List.of("node", "sioserver.js", "--port=0", "--redis=" + redisUrl));
                nodes.add(node);
                if (!"listening".equals(node.firstLine().path("type").asText())) {
                    throw new IllegalStateException(node.name() + " did not start: " + node.firstLine());
                }
                urls.add("http://127.0.0.1:" + node.firstLine().path("port").asInt());
            }
        } catch (RuntimeException e) {
            nodes.forEach(NodeProcess::close);
            throw e;
        }
        return new SocketIoSystem(nodes, urls, redisUrl, System.nanoTime());
    }

    @Override
    public String name() {
        return "socketio";
    }

    @Override
    public List<String> servers() {
        return urls;
    }

    @Override
    public ObjectNode connectCommand() {
        ObjectNode c = ClientFleet.json().put("kind", "socketio").put("timeoutMs", 10_000).put("attempts", 3);
        urls.forEach(c.putArray("servers")::add);
        return c;
    }

    @Override
    public String publisherKind() {
        return "socketio";
    }

    @Override
    public String publisherUrl() {
        return redisUrl;
    }

    @Override
    public String target(String company, String agent) {
        return company + ":" + agent;
    }

    @Override
    public List<Long> serverPids() {
        return nodes.stream().map(NodeProcess::pid).toList();
    }

    @Override
    public long readyNanos() {
        return readyNanos;
    }

    @Override
    public Object countersSnapshot() {
        return null;
    }

    @Override
    public void countersDelta(Object before, Object after, ObjectNode into) {
        // Socket.IO counts nothing of its own here: every number comes from the clients.
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }
}
