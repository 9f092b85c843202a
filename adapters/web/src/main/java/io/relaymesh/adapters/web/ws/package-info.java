/** WebSocket endpoints: per-connection listener, single writer with bounded buffer, liveness monitor. */
package io.relaymesh.adapters.web.ws;
