/** The mailbox (aethos-relay) wire protocol: its frames, its dialect on the shared core, its backend intake and /healthz. */
package io.relaymesh.adapters.web.dialect.mailbox;
