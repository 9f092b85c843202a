/** Benchmarks run as plain mains: {@link RedisStateBench} (Redis cost of connections) and {@link ClusterFaultBench}. */
package io.relaymesh.bench;
