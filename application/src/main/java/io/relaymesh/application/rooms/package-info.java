/** The peer rooms use case (PluresDB relay): peers join a topic and relay data to each other, across pods. */
package io.relaymesh.application.rooms;
