package io.relaymesh.bench.load;

import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Progress;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every scenario of one LoadBench run shares: the child processes, Redis and NATS, how pods are
 * started, where bench/node lives, the progress printer, the payload size, and the numbering of
 * measured phases (unique in the run, so a late frame is never counted in the wrong phase).
 */
public record RunContext(ChildProcesses children, BackingServers servers, GatewayPod.Setup podSetup, Path nodeDir,
                         Path nodeStderr, Progress progress, String runId, int payloadBytes, int warmupSeconds,
                         int connectRate, AtomicInteger phases) {

    public int nextPhase() {
        return phases.incrementAndGet();
    }

    public ClientFleet clients(String name, int processes) {
        return ClientFleet.start(name, processes, nodeDir, nodeStderr, children);
    }

    public Publisher publisher(SystemUnderTest system) {
        return Publisher.start(system, this);
    }

    public SystemUnderTest start(String system, int servers) {
        return switch (system) {
            case "relaymesh" -> RelaymeshSystem.start(servers, podSetup, children);
            case "socketio" -> SocketIoSystem.start(servers, this.servers.redisUrl(), nodeDir, nodeStderr, children);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }
}
