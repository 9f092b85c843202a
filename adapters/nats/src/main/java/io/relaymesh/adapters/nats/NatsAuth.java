package io.relaymesh.adapters.nats;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the NATS connection proves who it is, besides a user and password in the URL. The files are
 * read by jnats at every (re)connect, so replacing one rotates the credential without a restart.
 */
public sealed interface NatsAuth {
    /** Nothing beyond the URL (anonymous, or {@code nats://user:password@host}). */
    record UrlOnly() implements NatsAuth {
    }

    /** A creds file ({@code nsc generate creds}): the user JWT and its nkey seed. */
    record CredsFile(Path file) implements NatsAuth {
        public CredsFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** A file holding an nkey seed ({@code SU…}), for servers that list users by nkey public key. */
    record NkeySeedFile(Path file) implements NatsAuth {
        public NkeySeedFile {
            Objects.requireNonNull(file, "file");
        }
    }
}
