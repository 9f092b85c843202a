package io.relaymesh.domain.model;

/** Identity of one gateway process in the cluster. */
public record PodId(String value) {
    public PodId {
        Names.requireSegment("pod_id", value);
    }

    @Override
    public String toString() {
        return value;
    }
}
