/**
 * The load benchmark (LoadBench): real gateway processes, Node.js WebSocket clients and publishers,
 * and the Socket.IO servers it is compared with, all separate processes driven from here.
 */
package io.relaymesh.bench.load;
