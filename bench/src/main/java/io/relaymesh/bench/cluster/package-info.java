/** In-process cluster pods on real Redis and NATS, WebSocket clients that count what they get, and the faults injected. */
package io.relaymesh.bench.cluster;
