/** AES-256-GCM encryption of user and admin token claims, the {@code TokenCodec} port's adapter. */
package io.relaymesh.adapters.crypto;
