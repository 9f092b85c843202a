/** In-memory adapters of the state ports, for standalone mode and fast tests; state lives in this process only. */
package io.relaymesh.adapters.memory;
