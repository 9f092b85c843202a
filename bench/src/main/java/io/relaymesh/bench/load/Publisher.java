package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

/** The publishing Node process of a scenario (bench/node/publisher.js), connected to the system's broker. */
public final class Publisher implements AutoCloseable {
    private final NodeProcess process;
    private final RunContext context;

    private Publisher(NodeProcess process, RunContext context) {
        this.process = process;
        this.context = context;
    }

    static Publisher start(SystemUnderTest system, RunContext context) {
        NodeProcess process = NodeProcess.start(system.name() + "-publisher", context.nodeDir(), context.nodeStderr(),
                context.children(), List.of("node", "publisher.js"));
        try {
            process.call(NodeProcess.command("connect").put("kind", system.publisherKind())
                    .put("url", system.publisherUrl()), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new Publisher(process, context);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Publishes {@code rate} events/s for {@code seconds}, round-robin over {@code targets}, stamped with
     * {@code phase}; with {@code sliceMs} > 0 also with the slice of send time (the clients' latency by slice).
     */
    public JsonNode publish(int phase, double rate, double seconds, List<String> targets, int sliceMs) {
        ObjectNode command = NodeProcess.command("publish").put("ph", phase).put("rate", rate).put("seconds", seconds)
                .put("payloadBytes", context.payloadBytes()).put("runId", context.runId()).put("maxInflight", 1024)
                .put("graceSec", 10).put("sliceMs", sliceMs);
        ArrayNode t = command.putArray("targets");
        targets.forEach(t::add);
        return process.call(command, Duration.ofSeconds((long) seconds + 60));
    }

    @Override
    public void close() {
        try {
            process.call(NodeProcess.command("close"), Duration.ofSeconds(10));
        } catch (RuntimeException ignored) {
            // Stopped by its PID below anyway.
        }
        process.close();
    }
}
