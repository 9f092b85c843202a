package io.relaymesh.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Progress;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run against the cluster: connect the clients (each its own user on the scenario's agent,
 * round-robin over the pods), publish the events for that agent ({@code websocket.bench.<agent>.chats},
 * which every client of the agent gets) through the first pod, inject the fault if any, wait for
 * the clients to have everything, then count. Every wait is bounded.
 */
public final class Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPANY = "bench";
    private static final long POLL_MILLIS = 50;

    private Scenario() {
    }

    public static ScenarioResult run(Cluster cluster, ScenarioOptions options, Progress progress) throws Exception {
        List<Pod> pods = cluster.pods();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String prefix = options.name() + "-";
        List<BenchClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < options.clients(); i++) {
                Pod pod = pods.get(i % pods.size());
                String user = "u" + i;
                String token = userToken(http, pods.getFirst(), options.agent(), user);
                clients.add(BenchClient.connect(http, pod, COMPANY, options.agent(), user, token, prefix));
            }
            progress.line("[%s] %d clients ready on %d pods; publishing %d events at %d/s through %s", options.name(),
                    clients.size(), pods.size(), options.events(), options.perSecond(), pods.getFirst().id());
            Map<String, PodCounters> before = counters(pods);

            GrpcOutage outage = options.hasFault()
                    ? new GrpcOutage(pods.get(options.faultPod()), options.faultAtMillis(), options.faultForMillis()) : null;
            Deadline publishDeadline = Deadline.after(Duration.ofMillis(
                    2_000L * options.events() / options.perSecond() + 30_000));
            Publisher.Outcome published = new Publisher(http, pods.getFirst()).run(
                    "websocket." + COMPANY + "." + options.agent() + ".chats", prefix, options.events(),
                    options.perSecond(), publishDeadline, progress, start -> {
                        if (outage != null) {
                            outage.schedule(start, progress);
                        }
                    });
            progress.line("[%s] published %d events in %.1f s (%.0f/s): %d accepted, %d failed%s", options.name(),
                    published.attempted(), published.seconds(), published.achievedRate(), published.accepted(),
                    published.failed(), published.firstFailure() == null ? "" : " (first: " + published.firstFailure() + ")");
            long completeAfter = awaitComplete(clients, published.attempted(), options, progress, published.endNanos());
            if (outage != null) {
                // Late duplicates come from redeliveries once the pod serves again: count from then on.
                outage.await(options.faultAtMillis() + options.faultForMillis() + 30_000);
            }
            awaitQuiet(clients, options, progress);
            Map<String, PodCounters> after = counters(pods);
            Map<String, PodCounters> delta = new LinkedHashMap<>();
            after.forEach((id, counters) -> delta.put(id, counters.minus(before.get(id))));
            return ScenarioResult.of(options, published, clients, delta, outage, completeAfter);
        } finally {
            for (BenchClient client : clients) {
                client.close();
            }
        }
    }

    /**
     * Waits until every client has every event, or the drain time is up. Returns ms from the last
     * publish until every client had every event, or -1 if that did not happen.
     */
    private static long awaitComplete(List<BenchClient> clients, int expected, ScenarioOptions options,
                                      Progress progress, long publishEndNanos) {
        Deadline drainDeadline = Deadline.after(Duration.ofSeconds(options.drainSeconds()));
        long nextReport = System.nanoTime() + 2_000_000_000L;
        while (!drainDeadline.passed()) {
            int incomplete = 0;
            for (BenchClient client : clients) {
                if (client.tally().distinct() < expected) {
                    incomplete++;
                }
            }
            if (incomplete == 0) {
                long completeAfter = (System.nanoTime() - publishEndNanos) / 1_000_000;
                progress.line("[%s] every client has every event %d ms after the last publish", options.name(),
                        completeAfter);
                return completeAfter;
            }
            if (System.nanoTime() >= nextReport) {
                progress.line("[%s]   draining: %d of %d clients still miss events", options.name(), incomplete,
                        clients.size());
                nextReport += 2_000_000_000L;
            }
            drainDeadline.sleep(POLL_MILLIS);
        }
        progress.line("[%s] drain time (%d s) over with events missing", options.name(), options.drainSeconds());
        return -1;
    }

    /** Waits until no frame arrived for the quiet time (at most five quiet times), to catch late duplicates. */
    private static void awaitQuiet(List<BenchClient> clients, ScenarioOptions options, Progress progress) {
        progress.line("[%s] waiting for %d ms without frames (late duplicates)", options.name(), options.quietMillis());
        Deadline quietDeadline = Deadline.after(Duration.ofMillis(options.quietMillis() * 5));
        long lastFrames = totalFrames(clients);
        long lastChange = System.nanoTime();
        while (!quietDeadline.passed() && System.nanoTime() - lastChange < options.quietMillis() * 1_000_000) {
            quietDeadline.sleep(POLL_MILLIS);
            long frames = totalFrames(clients);
            if (frames != lastFrames) {
                lastFrames = frames;
                lastChange = System.nanoTime();
            }
        }
    }

    private static long totalFrames(List<BenchClient> clients) {
        long total = 0;
        for (BenchClient client : clients) {
            total += client.tally().frames();
        }
        return total;
    }

    private static Map<String, PodCounters> counters(List<Pod> pods) {
        Map<String, PodCounters> counters = new LinkedHashMap<>();
        for (Pod pod : pods) {
            counters.put(pod.id(), pod.counters());
        }
        return counters;
    }

    private static String userToken(HttpClient http, Pod pod, String agent, String user) throws Exception {
        String body = JSON.createObjectNode().put("company_id", COMPANY).put("agent_id", agent).put("user_id", user)
                .put("expires_in_seconds", 3600).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(pod.http("/generate-token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("X-API-Key", Pod.GENERAL_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token for " + user + " refused: " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode token = JSON.readTree(response.body()).path("token");
        return token.asText();
    }
}
