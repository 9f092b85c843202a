/** Issue 15's numbers: the topics dialect under Pulsar Relay's published benchmark load, and its long-poll and Redis costs. */
package io.relaymesh.bench.topics;
