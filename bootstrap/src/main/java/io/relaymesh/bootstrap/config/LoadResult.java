package io.relaymesh.bootstrap.config;

import java.util.List;
import java.util.Objects;

/** Outcome of loading the configuration: a usable config, or every reason there is none. */
public sealed interface LoadResult {

    /**
     * The configuration is valid.
     *
     * @param config the validated configuration, with auth keys filled in
     * @param generatedSecrets auth keys generated for this standalone run (empty otherwise)
     * @param notes informational lines worth logging at start-up (file read, mode, derived values)
     */
    record Loaded(RelaymeshConfig config, GeneratedSecrets generatedSecrets, List<String> notes)
            implements LoadResult {
        public Loaded {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(generatedSecrets, "generatedSecrets");
            notes = List.copyOf(notes);
        }
    }

    /**
     * The configuration is unusable and start-up (or a reload) must stop.
     *
     * @param problems one line per problem, each naming the key, the value (never a secret's) and
     *     what was expected
     */
    record Rejected(List<String> problems) implements LoadResult {
        public Rejected {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one problem");
            }
        }
    }
}
