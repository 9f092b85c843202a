package io.relaymesh.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reading of a pod's /metrics (Prometheus text format): series (name with its labels, as printed)
 * to value. Sums over label sets and differences of two readings. Immutable.
 */
public record Prometheus(Map<String, Double> series) {

    public static Prometheus parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                series.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException ignored) {
                // Not a sample line.
            }
        }
        return new Prometheus(Map.copyOf(series));
    }

    /** Sum of every series of metric {@code name} whose labels contain each of {@code labels} ("k=\"v\""). */
    public double sum(String name, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> e : series.entrySet()) {
            String key = e.getKey();
            String metric = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!metric.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                total += e.getValue();
            }
        }
        return total;
    }

    public Prometheus minus(Prometheus before) {
        Map<String, Double> diff = new LinkedHashMap<>();
        series.forEach((k, v) -> diff.put(k, v - before.series.getOrDefault(k, 0.0)));
        return new Prometheus(Map.copyOf(diff));
    }
}
