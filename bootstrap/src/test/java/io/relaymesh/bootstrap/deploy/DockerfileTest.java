package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * deploy/Dockerfile: builds the jar the Maven build makes, runs it the way {@code make run} does,
 * and agrees with the configuration on ports, config file and health endpoint.
 */
class DockerfileTest {
    private static final Path FILE = DeployFiles.DEPLOY.resolve("Dockerfile");
    private static final Dockerfile DOCKERFILE = Dockerfile.parse(FILE);
    private static final String NAME = DOCKERFILE.name();

    /** Where the build stage puts the repository (its WORKDIR, where COPY . . lands). */
    private static String buildRoot() {
        Dockerfile.Stage build = DOCKERFILE.stage("build");
        String workdir = build.only("WORKDIR", NAME).arguments().strip();
        assertTrue(build.all("COPY").stream().anyMatch(c -> c.arguments().strip().equals(". .")),
                NAME + ": the build stage should COPY . . (the whole Maven project) into " + workdir);
        return workdir.endsWith("/") ? workdir : workdir + "/";
    }

    @Test
    void buildStage_runsTheMavenBuild_withJdk21_andTestsSkipped() {
        Dockerfile.Stage build = DOCKERFILE.stage("build");
        assertTrue(build.image().startsWith("maven:") && build.image().contains("temurin-21"),
                NAME + ": the build stage should be a Maven image with Temurin 21, is " + build.image());
        assertTrue(build.all("RUN").stream().map(Dockerfile.Instruction::arguments).anyMatch(run ->
                        run.matches("(?s).*\\bmvn\\b.*\\b(install|package)\\b.*") && run.contains("-DskipTests")),
                NAME + ": the build stage should run mvn install (or package) with -DskipTests");
        assertTrue(DOCKERFILE.stages().size() >= 2, NAME + " should be a multi-stage build");
    }

    @Test
    void runtimeStage_isATemurin21Jre_runningAsANonRootUser() {
        Dockerfile.Stage runtime = DOCKERFILE.runtime();
        assertTrue(runtime.image().startsWith("eclipse-temurin:21") && runtime.image().contains("jre"),
                NAME + ": the runtime stage should be a Temurin 21 JRE image, is " + runtime.image());
        List<Dockerfile.Instruction> users = runtime.all("USER");
        assertFalse(users.isEmpty(), NAME + ": the runtime stage should switch to a non-root USER");
        String user = users.get(users.size() - 1).arguments().strip().split(":")[0];
        assertFalse(Set.of("root", "0").contains(user), NAME + ": the runtime USER is " + user);
    }

    @Test
    void runtimeStage_copiesTheJarAndLibrariesTheBootstrapBuildProduces() throws Exception {
        // What bootstrap/pom.xml builds: target/relaymesh.jar with its class path in target/lib/.
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(DeployFiles.ROOT.resolve("bootstrap/pom.xml").toFile());
        assertEquals("relaymesh", text(pom, "finalName"), "bootstrap/pom.xml finalName");
        assertEquals("${project.build.directory}/lib", text(pom, "outputDirectory"),
                "bootstrap/pom.xml: copy-dependencies outputDirectory");
        assertEquals("lib/", text(pom, "classpathPrefix"), "bootstrap/pom.xml: jar manifest classpathPrefix");

        String root = buildRoot();
        List<String> copies = DOCKERFILE.runtime().all("COPY").stream()
                .map(c -> String.join(" ", c.words())).toList();
        assertTrue(copies.contains("--from=build " + root + "bootstrap/target/relaymesh.jar /app/relaymesh.jar"),
                NAME + ": the runtime should copy " + root + "bootstrap/target/relaymesh.jar to /app/relaymesh.jar; copies: " + copies);
        assertTrue(copies.contains("--from=build " + root + "bootstrap/target/lib/ /app/lib/"),
                NAME + ": the runtime should copy " + root + "bootstrap/target/lib/ to /app/lib/ (the jar's class path); copies: " + copies);
    }

    @Test
    void entrypoint_runsTheCopiedJar_inExecForm_withNativeAccess() {
        List<String> entry = DOCKERFILE.runtime().only("ENTRYPOINT", NAME).execForm(NAME);
        assertEquals("java", entry.get(0), NAME + ": ENTRYPOINT " + entry);
        assertTrue(entry.contains("--enable-native-access=ALL-UNNAMED"), NAME + ": ENTRYPOINT " + entry);
        int jar = entry.indexOf("-jar");
        assertTrue(jar > 0 && jar + 1 < entry.size(), NAME + ": ENTRYPOINT should run -jar <file>: " + entry);
        assertEquals("/app/relaymesh.jar", entry.get(jar + 1), NAME + ": ENTRYPOINT should run the copied jar");
        assertEquals(jar + 2, entry.size(), NAME + ": arguments after the jar would be refused by Main: " + entry);
    }

    @Test
    void image_runsWithTheClusterConfigFile_itCopies() {
        List<String> env = DOCKERFILE.runtime().all("ENV").stream().map(Dockerfile.Instruction::arguments).toList();
        assertTrue(env.stream().anyMatch(e -> e.strip().matches("RELAYMESH_CONFIG[= ]/app/config/config\\.yaml")),
                NAME + ": ENV RELAYMESH_CONFIG=/app/config/config.yaml expected, ENV lines: " + env);
        assertTrue(DOCKERFILE.runtime().all("COPY").stream()
                        .anyMatch(c -> c.words().equals(List.of("config/", "/app/config/"))),
                NAME + ": the runtime should COPY config/ /app/config/");
        assertTrue(Files.isRegularFile(DeployFiles.CLUSTER_CONFIG), "config/config.yaml is missing");
        assertFalse(DeployFiles.imageConfig().standalone(), "config/config.yaml should be cluster mode");
    }

    @Test
    void exposedPorts_areTheConfiguredHttpAndGrpcPorts() {
        RelaymeshConfig config = DeployFiles.imageConfig();
        List<String> exposed = DOCKERFILE.runtime().all("EXPOSE").stream().flatMap(e -> e.words().stream()).toList();
        assertEquals(Set.of(String.valueOf(config.server().httpPort()), String.valueOf(config.server().grpcPort())),
                Set.copyOf(exposed), NAME + ": EXPOSE should list server.http_port and server.grpc_port");
    }

    @Test
    void healthcheck_getsHealth_onTheHttpPort() {
        String check = DOCKERFILE.runtime().only("HEALTHCHECK", NAME).arguments();
        assertTrue(check.contains("CMD"), NAME + ": HEALTHCHECK has no CMD: " + check);
        String command = String.join(" ", DOCKERFILE.runtime().only("HEALTHCHECK", NAME).execForm(NAME));
        assertTrue(command.contains("GET /health "), NAME + ": the health check should GET /health: " + command);
        Matcher port = Pattern.compile("RELAYMESH_SERVER_HTTP_PORT:-(\\d+)").matcher(command);
        assertTrue(port.find(), NAME + ": the health check should use ${RELAYMESH_SERVER_HTTP_PORT:-<port>}: " + command);
        assertEquals(DeployFiles.imageConfig().server().httpPort(), Integer.parseInt(port.group(1)),
                NAME + ": the health check's default port should be server.http_port");
    }

    @Test
    void stopSignal_isSigterm_whichClosesSocketsWith1001() {
        assertEquals("SIGTERM", DOCKERFILE.runtime().only("STOPSIGNAL", NAME).arguments().strip());
    }

    @Test
    void buildContextFilter_dropsBuildOutputAndSecrets_butKeepsTheProject() throws Exception {
        Path ignore = DeployFiles.DEPLOY.resolve("Dockerfile.dockerignore");
        List<String> patterns = DeployFiles.read(ignore).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String needed : List.of("**/target", ".git", "deploy/.env")) {
            assertTrue(patterns.contains(needed), DeployFiles.describe(ignore) + " should exclude " + needed);
        }
        // The build copies the whole project: the root pom, every module of it, config/.
        Document rootPom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(DeployFiles.ROOT.resolve("pom.xml").toFile());
        Set<String> kept = new TreeSet<>(List.of("pom.xml", "config"));
        var modules = rootPom.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            kept.add(module);
            kept.add(module.split("/")[0]);
        }
        assertTrue(kept.contains("bootstrap"), "the root pom's <modules> should list bootstrap: " + kept);
        for (String keep : kept) {
            for (String pattern : patterns) {
                assertNotEquals(keep, pattern.replaceAll("^/|/$", ""),
                        DeployFiles.describe(ignore) + " must not exclude " + keep + ", which the build needs");
            }
        }
    }

    private static String text(Document doc, String tag) {
        var nodes = doc.getElementsByTagName(tag);
        assertEquals(1, nodes.getLength(), "expected one <" + tag + ">");
        return nodes.item(0).getTextContent().strip();
    }
}
