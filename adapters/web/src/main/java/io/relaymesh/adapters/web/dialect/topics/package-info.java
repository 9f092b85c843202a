/** The topics dialect (Pulsar Relay, seed 002) on the web edge: its WebSocket frames, its REST producers and long-poll consumers. */
package io.relaymesh.adapters.web.dialect.topics;
