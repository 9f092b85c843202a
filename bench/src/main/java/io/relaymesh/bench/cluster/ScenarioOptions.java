package io.relaymesh.bench.cluster;

/**
 * How one scenario runs.
 *
 * @param name          label in the tables (e.g. "baseline")
 * @param agent         the agent every client of the scenario connects to (one per scenario, so
 *                      scenarios never see each other's events)
 * @param clients       WebSocket clients, spread round-robin over the pods
 * @param events        events published
 * @param perSecond     publishing rate
 * @param faultPod      index of the pod whose gRPC server is stopped, or -1 for no fault
 * @param faultAtMillis when the outage starts, after the first publish
 * @param faultForMillis how long the gRPC server stays down
 * @param drainSeconds  how long to wait after the last publish for every client to have every event
 * @param quietMillis   once complete (or drained), wait until no frame arrived for this long, to catch late duplicates
 */
public record ScenarioOptions(String name, String agent, int clients, int events, int perSecond, int faultPod,
                              long faultAtMillis, long faultForMillis, int drainSeconds, long quietMillis) {
    public ScenarioOptions {
        if (clients < 1 || events < 1 || perSecond < 1) {
            throw new IllegalArgumentException("clients, events and rate must be positive");
        }
    }

    boolean hasFault() {
        return faultPod >= 0;
    }
}
