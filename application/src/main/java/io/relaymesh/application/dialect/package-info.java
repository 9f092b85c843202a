/** The seam every wire protocol plugs into: admission, client frames and rendering, on the shared sessions and delivery. */
package io.relaymesh.application.dialect;
