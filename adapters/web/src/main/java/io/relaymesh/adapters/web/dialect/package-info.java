/** WebSocket endpoints of the dialects: their paths, the shared /ws first-frame dispatch, and the socket plumbing they share. */
package io.relaymesh.adapters.web.dialect;
