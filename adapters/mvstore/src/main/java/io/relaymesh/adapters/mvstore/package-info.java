/** The embedded on-disk store of standalone mode (H2's MVStore, one file): mailbox messages that survive a crash. */
package io.relaymesh.adapters.mvstore;
