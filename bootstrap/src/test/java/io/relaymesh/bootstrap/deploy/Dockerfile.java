package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into instructions, as the builder sees them: continuation lines joined,
 * comments and parser directives dropped, instructions grouped by build stage.
 */
record Dockerfile(String name, List<Stage> stages) {

    /** One instruction: upper-case keyword and the rest of the line. */
    record Instruction(String keyword, String arguments) {

        /** The exec (JSON array) form of ENTRYPOINT, CMD or HEALTHCHECK ... CMD. */
        List<String> execForm(String where) {
            String json = arguments.substring(arguments.indexOf('['));
            try {
                return Arrays.asList(new ObjectMapper().readValue(json, String[].class));
            } catch (JsonProcessingException | StringIndexOutOfBoundsException e) {
                return fail(where + ": " + keyword + " should use the exec form [\"...\", ...], got: " + arguments);
            }
        }

        List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /** A build stage: its FROM line (image, alias) and its instructions. */
    record Stage(String image, String alias, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction only(String keyword, String file) {
            List<Instruction> found = all(keyword);
            if (found.size() != 1) {
                fail(file + ": the stage FROM " + image + " should have one " + keyword + ", has " + found.size());
            }
            return found.get(0);
        }
    }

    static Dockerfile parse(Path file) {
        String name = DeployFiles.describe(file);
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : DeployFiles.read(file).lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                continue; // a comment, also inside a continued instruction; directives are comments too
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String joined = current.toString().strip();
            current.setLength(0);
            if (!joined.isEmpty()) {
                String[] parts = joined.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            }
        }
        List<Stage> stages = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                List<String> words = i.words().stream().filter(w -> !w.startsWith("--")).toList();
                String alias = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : "";
                stages.add(new Stage(words.get(0), alias, new ArrayList<>()));
            } else if (i.keyword().equals("ARG") && stages.isEmpty()) {
                continue; // global build arguments before the first FROM
            } else if (stages.isEmpty()) {
                fail(name + ": " + i.keyword() + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        if (stages.isEmpty()) {
            fail(name + " has no FROM");
        }
        return new Dockerfile(name, stages);
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String alias) {
        return stages.stream().filter(s -> s.alias().equals(alias)).findFirst()
                .orElseGet(() -> fail(name + " has no stage named '" + alias + "' (FROM ... AS " + alias + ")"));
    }
}
