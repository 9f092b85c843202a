/** This pod's live statistics: cheap counters on the delivery path, a sliding window, and their posting. */
package io.relaymesh.application.stats;
