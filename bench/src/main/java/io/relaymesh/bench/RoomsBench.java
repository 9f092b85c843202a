package io.relaymesh.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.load.BackingServers;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.rooms.RoomsRuns;
import io.relaymesh.bench.support.Args;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Machine;
import io.relaymesh.bench.support.ResultFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Issue 17's numbers for the peer rooms (the PluresDB relay): relay throughput (MB/s and frames/s)
 * and latency per hop for two peers on the same pod and on two pods, the cost of a TLS handshake per
 * connection (beside a plain one), and the idle memory per joined peer. Two real pods (the built jar,
 * cluster mode, config/config.yaml) on a real Redis and NATS; clients in this process over loopback,
 * TLS on the rooms' own listener. Every loop is bounded in count and in time.
 *
 * <pre>bench/run.sh rooms [--frames=20000 --payload-bytes=1024 --window=256 --paced-rate=1000
 *       --paced-seconds=5 --handshakes=300 --idle-peers=2000]</pre>
 */
public final class RoomsBench {
    private RoomsBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path root = Path.of(args.string("root", ".", "the checkout (bootstrap/target/relaymesh.jar, config/)"));
        RoomsRuns.Options options = new RoomsRuns.Options(
                args.intValue("frames", 20_000, 100, 2_000_000, "data frames per throughput run"),
                args.intValue("payload-bytes", 1024, 18, 1_000_000, "decoded bytes per data frame"),
                args.intValue("window", 256, 1, 100_000, "frames sent and not yet received at most (throughput runs)"),
                args.intValue("paced-rate", 1000, 1, 100_000, "frames per second of the latency runs"),
                args.intValue("paced-seconds", 5, 1, 120, "length of each latency run"),
                args.intValue("handshakes", 300, 1, 10_000, "connections opened one after another per kind (TLS, plain)"),
                args.intValue("idle-peers", 2000, 1, 15_000, "peers joined and left idle for the memory measure"),
                args.flag("jfr", false, "record rooms-a during the throughput runs and summarize the profile") ? Path.of(
                        System.getProperty("java.io.tmpdir"), "rooms-bench-" + ProcessHandle.current().pid()) : null);
        String jvm = args.string("pod-jvm-options", GatewayPod.imageJvmOptions(root), "JVM options of the pods");
        args.finish("RoomsBench");

        ResultFile file = ResultFile.forRun("rooms");
        ObjectNode result = ResultFile.JSON.createObjectNode().put("benchmark", "RoomsBench");
        Machine.describe(result.putObject("machine"));
        result.putPOJO("options", options);
        Path work = Files.createTempDirectory("relaymesh-rooms-");
        try (ChildProcesses children = new ChildProcesses()) {
            BackingServers servers = BackingServers.start(children, work);
            Path[] pair = RoomsRuns.selfSigned(work);
            GatewayPod.Setup setup = new GatewayPod.Setup(root.resolve("bootstrap/target/relaymesh.jar"),
                    root.resolve("config/config.yaml"), Path.of(System.getProperty("java.home")),
                    List.of(jvm.trim().split("\\s+")), servers, GatewayPod.Keys.random(), work, Map.of());
            String markdown = RoomsRuns.run(setup, pair[0], pair[1], children, options, result.putObject("runs"));
            System.out.println();
            System.out.println(markdown);
        } finally {
            result.with("machine").put("load_average_at_end", Machine.loadAverage());
            System.out.println("results: " + file.write(result));
        }
    }
}
