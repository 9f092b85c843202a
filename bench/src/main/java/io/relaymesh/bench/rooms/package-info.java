/** The peer rooms benchmark (issue 17): relay throughput and latency, TLS handshake cost, idle memory per peer. */
package io.relaymesh.bench.rooms;
