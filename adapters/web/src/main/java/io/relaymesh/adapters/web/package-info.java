/** The Helidon SE edge: WebSocket endpoints, HTTP API, metrics and static pages. */
package io.relaymesh.adapters.web;
