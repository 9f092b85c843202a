package io.relaymesh.bootstrap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.Slice;
import com.tngtech.archunit.library.dependencies.Slices;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies point inward only (DESIGN.md "Modules", STYLE.md rule 2): domain → java only;
 * application → domain; adapters never on bootstrap nor on each other; only the gRPC adapter uses
 * the generated proto classes; only bootstrap knows Dagger. Every rule refuses to pass on an empty
 * set of classes, and the import is checked to hold every module, so no rule can pass vacuously.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.relaymesh");

    private static final String DOMAIN = "io.relaymesh.domain..";
    private static final String APPLICATION = "io.relaymesh.application..";
    private static final String ADAPTERS = "io.relaymesh.adapters..";
    private static final String BOOTSTRAP = "io.relaymesh.bootstrap..";
    private static final String PROTO = "io.relaymesh.proto..";
    private static final String GRPC_ADAPTER = "io.relaymesh.adapters.grpc..";

    /** Frameworks and clients that belong in adapters and bootstrap, never in the core. */
    private static final String[] INFRASTRUCTURE = {"io.helidon..", "redis.clients..", "io.nats..", "com.fasterxml..",
            "io.grpc..", "com.google.protobuf..", "io.micrometer..", "dagger..", "javax.inject..", "jakarta.inject.."};

    /** Classes in {@code layer} may depend only on classes in {@code allowed}. */
    private static ArchRule mayOnlyDependOn(String layer, String... allowed) {
        return classes().that().resideInAPackage(layer)
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .allowEmptyShould(false);
    }

    /** Classes in {@code layers} must not depend on classes in {@code forbidden}. */
    private static ArchRule mustNotUse(String[] layers, String... forbidden) {
        return noClasses().that().resideInAnyPackage(layers)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .allowEmptyShould(false);
    }

    // The import itself: every module is there, tests are not.

    @Test
    void importedClasses_includeEveryModule_soNoRuleCanPassOnNothing() {
        for (String module : List.of("io.relaymesh.domain", "io.relaymesh.application", "io.relaymesh.adapters.memory",
                "io.relaymesh.adapters.crypto", "io.relaymesh.adapters.web", "io.relaymesh.bootstrap",
                "io.relaymesh.proto")) {
            assertTrue(CLASSES.stream().anyMatch(c -> c.getPackageName().equals(module)
                    || c.getPackageName().startsWith(module + ".")), "no classes imported from " + module);
        }
    }

    @Test
    void importedClasses_excludeTestClasses() {
        assertFalse(CLASSES.contain(ArchitectureTest.class), "test classes must not be checked");
    }

    // The rules.

    @Test
    void domain_dependsOnlyOnJavaAndItself() {
        mayOnlyDependOn(DOMAIN, "java..", DOMAIN).check(CLASSES);
    }

    @Test
    void application_dependsOnlyOnJavaTheDomainAndItself() {
        mayOnlyDependOn(APPLICATION, "java..", DOMAIN, APPLICATION).check(CLASSES);
    }

    @Test
    void domainAndApplication_useNoFrameworkOrClientLibrary() {
        mustNotUse(new String[]{DOMAIN, APPLICATION}, INFRASTRUCTURE).check(CLASSES);
    }

    @Test
    void adapters_neverDependOnBootstrap() {
        mustNotUse(new String[]{ADAPTERS}, BOOTSTRAP).check(CLASSES);
    }

    @Test
    void adapters_areIndependentOfEachOther() {
        Set<String> adapters = StreamSupport.stream(Slices.matching("io.relaymesh.adapters.(*)..").transform(CLASSES)
                .spliterator(), false).map(Slice::getDescription).collect(Collectors.toSet());
        assertTrue(adapters.containsAll(Set.of("Slice memory", "Slice crypto", "Slice web")), "adapter slices: " + adapters);

        slices().matching("io.relaymesh.adapters.(*)..").should().notDependOnEachOther()
                .allowEmptyShould(false)
                .check(CLASSES);
    }

    @Test
    void onlyTheGrpcAdapter_usesTheGeneratedProtoClasses() {
        noClasses().that().resideOutsideOfPackages(GRPC_ADAPTER, PROTO)
                .should().dependOnClassesThat().resideInAPackage(PROTO)
                .allowEmptyShould(false)
                .check(CLASSES);
    }

    @Test
    void onlyBootstrap_usesDependencyInjection() {
        noClasses().that().resideOutsideOfPackage(BOOTSTRAP)
                .should().dependOnClassesThat().resideInAnyPackage("dagger..", "javax.inject..", "jakarta.inject..")
                .allowEmptyShould(false)
                .check(CLASSES);
    }

    // The rule shapes do catch violations (a test that cannot fail is a defect).

    @Test
    void layerRule_failsForALayerThatUsesMoreThanItIsAllowed() {
        // Bootstrap legitimately uses Dagger and Helidon: held to the domain's rule it must be reported.
        ArchRule bootstrapAsDomain = mayOnlyDependOn(BOOTSTRAP, "java..", DOMAIN);

        assertThrows(AssertionError.class, () -> bootstrapAsDomain.check(CLASSES));
    }

    @Test
    void forbiddenDependencyRule_failsForALayerThatUsesTheForbiddenPackage() {
        ArchRule bootstrapWithoutInfrastructure = mustNotUse(new String[]{BOOTSTRAP}, INFRASTRUCTURE);

        assertThrows(AssertionError.class, () -> bootstrapWithoutInfrastructure.check(CLASSES));
    }

    @Test
    void rulesRefuseToPassWhenTheyMatchNoClass() {
        ArchRule onNothing = mayOnlyDependOn("io.relaymesh.nosuchpackage..", "java..");

        assertThrows(AssertionError.class, () -> onNothing.check(CLASSES));
    }
}
