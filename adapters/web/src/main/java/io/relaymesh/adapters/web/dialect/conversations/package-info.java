/** The conversations dialect's wire (the chat WebSocket gateway of seed 003): its frames, its socket handler and its HTTP root answer. */
package io.relaymesh.adapters.web.dialect.conversations;
