package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.ChildProcesses;

import java.util.ArrayList;
import java.util.List;

/** Relaymesh under test: N gateway pods (separate processes) on the run's Redis and NATS JetStream. */
public final class RelaymeshSystem implements SystemUnderTest {
    /** Upper bounds (seconds) of the buckets of relaymesh_grpc_forward_latency (MicrometerForwarderListener). */
    private static final String[] FORWARD_BUCKETS = {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.5"};

    private final List<GatewayPod> pods;
    private final GatewayPod.Setup setup;

    private RelaymeshSystem(List<GatewayPod> pods, GatewayPod.Setup setup) {
        this.pods = pods;
        this.setup = setup;
    }

    public static RelaymeshSystem start(int podCount, GatewayPod.Setup setup, ChildProcesses children) {
        return start(podCount, setup, children, java.util.Map.of());
    }

    /** As above, with JVM options for some pods only (by pod id, e.g. "pod-a"), after the run's options. */
    public static RelaymeshSystem start(int podCount, GatewayPod.Setup setup, ChildProcesses children,
                                        java.util.Map<String, List<String>> extraJvmOptions) {
        List<GatewayPod> pods = new ArrayList<>();
        try {
            for (int i = 0; i < podCount; i++) {
                String id = "pod-" + (char) ('a' + i);
                pods.add(GatewayPod.start(id, setup, children, extraJvmOptions.getOrDefault(id, List.of())));
            }
        } catch (RuntimeException e) {
            pods.forEach(GatewayPod::close);
            throw e;
        }
        return new RelaymeshSystem(pods, setup);
    }

    public List<GatewayPod> pods() {
        return pods;
    }

    @Override
    public String name() {
        return "relaymesh";
    }

    @Override
    public List<String> servers() {
        return pods.stream().map(GatewayPod::wsBase).toList();
    }

    @Override
    public ObjectNode connectCommand() {
        // No key on sockets: config.yaml refuses the server key there and sets no client key.
        ObjectNode c = ClientFleet.json().put("kind", "relaymesh").put("apiKey", "")
                .put("tokenKey", setup.keys().userAes()).put("timeoutMs", 10_000).put("attempts", 3);
        servers().forEach(c.putArray("servers")::add);
        return c;
    }

    @Override
    public String publisherKind() {
        return "nats";
    }

    @Override
    public String publisherUrl() {
        return setup.servers().natsUrl();
    }

    @Override
    public String target(String company, String agent) {
        return "websocket." + company + "." + agent + ".chats";
    }

    @Override
    public List<Long> serverPids() {
        return pods.stream().map(GatewayPod::pid).toList();
    }

    @Override
    public long readyNanos() {
        return pods.stream().mapToLong(GatewayPod::readyNanos).max().orElse(0);
    }

    @Override
    public Object countersSnapshot() {
        return pods.stream().map(GatewayPod::metrics).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void countersDelta(Object before, Object after, ObjectNode into) {
        List<Prometheus> b = (List<Prometheus>) before;
        List<Prometheus> a = (List<Prometheus>) after;
        double consumed = 0;
        double dropped = 0;
        double sent = 0;
        for (int i = 0; i < pods.size(); i++) {
            Prometheus d = a.get(i).minus(b.get(i));
            ObjectNode pod = into.putObject(pods.get(i).id());
            pod.put("stream_consumed", d.sum("relaymesh_stream_events_total", "outcome=\"consumed\""));
            pod.put("stream_acked", d.sum("relaymesh_stream_events_total", "outcome=\"acked\""));
            pod.put("stream_naked", d.sum("relaymesh_stream_events_total", "outcome=\"naked\""));
            pod.put("frames_sent", d.sum("relaymesh_messages_sent_total"));
            pod.put("frames_dropped", d.sum("relaymesh_websocket_messages_dropped_total"));
            pod.put("events_forwarded", d.sum("relaymesh_grpc_messages_sent_total"));
            pod.put("forward_failures", d.sum("relaymesh_grpc_forward_failures_total"));
            double calls = d.sum("relaymesh_grpc_forward_latency_seconds_count");
            pod.put("forward_calls", calls);
            pod.put("forward_call_mean_ms", calls == 0 ? 0
                    : 1000 * d.sum("relaymesh_grpc_forward_latency_seconds_sum") / calls);
            ObjectNode buckets = pod.putObject("forward_calls_at_most");
            for (String le : FORWARD_BUCKETS) {
                buckets.put(Double.parseDouble(le) * 1000 + "ms",
                        d.sum("relaymesh_grpc_forward_latency_seconds_bucket", "le=\"" + le + "\""));
            }
            consumed += pod.path("stream_consumed").asDouble();
            dropped += pod.path("frames_dropped").asDouble();
            sent += pod.path("frames_sent").asDouble();
        }
        into.put("stream_consumed", consumed).put("frames_dropped", dropped).put("frames_sent", sent);
    }

    /** Sum over pods of the forward-call delta: [calls, sum seconds, calls at most 1 ms, 5 ms, ..., 500 ms]. */
    public static double[] forwardCalls(ObjectNode counters) {
        double[] out = new double[2 + FORWARD_BUCKETS.length];
        counters.fields().forEachRemaining(f -> {
            if (!f.getValue().isObject()) {
                return;
            }
            out[0] += f.getValue().path("forward_calls").asDouble();
            out[1] += f.getValue().path("forward_calls").asDouble() * f.getValue().path("forward_call_mean_ms").asDouble();
            for (int i = 0; i < FORWARD_BUCKETS.length; i++) {
                out[2 + i] += f.getValue().path("forward_calls_at_most")
                        .path(Double.parseDouble(FORWARD_BUCKETS[i]) * 1000 + "ms").asDouble();
            }
        });
        return out;
    }

    public static String[] forwardBucketLabels() {
        return FORWARD_BUCKETS.clone();
    }

    @Override
    public void close() {
        for (int i = pods.size() - 1; i >= 0; i--) {
            pods.get(i).close();
        }
    }
}
