package io.relaymesh.bootstrap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the core is protocol-neutral. Domain and application know nothing of the primary
 * protocol's {@code websocket.} subjects or of WebSocket close codes: those live in its dialect
 * (adapters/web/…/dialect/primary, bootstrap's PrimaryDialectModule). Checked on the compiled
 * classes (no string constant names a subject, no method hands out a close code, nothing depends
 * on the primary dialect's package) and on the sources (no close code number, even in a comment).
 */
class CoreNeutralityTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.relaymesh.domain", "io.relaymesh.application");
    private static final Pattern CLOSE_CODES = Pattern.compile("\\b(4400|4401|4402|4403|4409|4429|1008|1011|1013)\\b");

    @Test
    void noCoreClass_holdsAWebsocketSubjectConstant() throws IOException {
        assertTrue(CORE.size() > 50, "the core was imported: " + CORE.size() + " classes");
        List<String> offenders = new ArrayList<>();
        for (var type : CORE) {
            var source = type.getSource().orElseThrow();
            try (InputStream in = source.getUri().toURL().openStream()) {
                String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (constants.contains("websocket.")) {
                    offenders.add(type.getName());
                }
            }
        }
        assertEquals(List.of(), offenders, "classes holding a 'websocket.' constant");
    }

    /**
     * The error codes of the primary protocol carry no close code (its dialect maps them); the
     * only close code in the core is the one a dialect hands back through the seam
     * ({@code Admission.Refused}), which the core passes on without knowing it.
     */
    @Test
    void noCoreMethod_handsOutACloseCode_andNoCoreClassUsesThePrimaryDialect() {
        noMethods().that().areDeclaredInClassesThat().resideInAnyPackage("io.relaymesh.domain..",
                        "io.relaymesh.application..")
                .and().areDeclaredInClassesThat().doNotHaveFullyQualifiedName(
                        "io.relaymesh.application.dialect.Admission$Refused")
                .should().haveNameMatching("closeCode|.*CloseCode.*").allowEmptyShould(false).check(CORE);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("..dialect.primary..")
                .allowEmptyShould(false).check(CORE);
    }

    @Test
    void noCoreSource_namesACloseCode() {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("domain", "application")) {
            Path root = Path.of("..", module, "src", "main", "java");
            assertTrue(Files.isDirectory(root), "sources of " + module + " at " + root.toAbsolutePath());
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    try {
                        List<String> lines = Files.readAllLines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            if (CLOSE_CODES.matcher(lines.get(i)).find() || lines.get(i).contains("\"websocket")) {
                                offenders.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(List.of(), offenders);
    }
}
