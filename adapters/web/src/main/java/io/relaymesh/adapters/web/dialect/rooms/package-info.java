/** The peer rooms dialect's codec (the PluresDB WSS relay's frames), its endpoints and its metrics. */
package io.relaymesh.adapters.web.dialect.rooms;
