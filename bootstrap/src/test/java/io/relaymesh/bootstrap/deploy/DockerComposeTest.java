package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker-compose.yml and deploy/.env.example: the replicas scale, find Redis and NATS under
 * the service names the compose file gives them, and start with what the file and the env file
 * give them; Redis and NATS keep their data; only the load balancer publishes a port.
 */
class DockerComposeTest {
    private static final ComposeFile COMPOSE = ComposeFile.load();
    private static final String NAME = COMPOSE.name();
    private static final Yml RELAYMESH = COMPOSE.service("relaymesh");
    private static final String[] AUTH_KEYS = DeployFiles.TEST_KEYS.keySet().stream().sorted().toArray(String[]::new);

    /** The relaymesh environment as a container gets it, with {@code vars} as the env file. */
    private static Map<String, String> containerEnv(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>();
        ComposeFile.environment(RELAYMESH).forEach((k, v) ->
                env.put(k, DeployFiles.interpolate(v, vars, NAME + " services.relaymesh.environment." + k)));
        return env;
    }

    @Test
    void services_areRedisNatsRelaymeshAndALoadBalancer() {
        assertTrue(COMPOSE.serviceNames().containsAll(List.of("redis", "nats", "relaymesh", "lb")),
                NAME + ": services " + COMPOSE.serviceNames());
    }

    @Test
    void redis_appendsToItsLog_onANamedVolume() {
        Yml redis = COMPOSE.service("redis");
        String command = String.join(" ", ComposeFile.command(redis));
        assertTrue(command.contains("--appendonly yes"), NAME + ": redis should run with --appendonly yes: " + command);
        assertDataOnNamedVolume(redis, "redis", "/data");
    }

    @Test
    void nats_runsJetStream_storingOnANamedVolume() {
        Yml nats = COMPOSE.service("nats");
        List<String> command = ComposeFile.command(nats);
        assertTrue(command.contains("-js") || command.contains("--jetstream"), NAME + ": nats without -js: " + command);
        int sd = command.indexOf("-sd");
        assertTrue(sd >= 0 && sd + 1 < command.size(), NAME + ": nats should store JetStream with -sd <dir>: " + command);
        assertDataOnNamedVolume(nats, "nats", command.get(sd + 1));
    }

    @Test
    void relaymesh_waitsForHealthyRedisAndNats_whichHaveHealthChecks() {
        for (String dependency : List.of("redis", "nats")) {
            assertEquals("service_healthy", RELAYMESH.get("depends_on").get(dependency).get("condition").text(),
                    NAME + ": relaymesh should wait for a healthy " + dependency);
            Yml check = COMPOSE.service(dependency).get("healthcheck");
            assertFalse(check.get("test").list().isEmpty(), NAME + ": " + dependency + " health check has no test");
        }
    }

    @Test
    void relaymesh_isBuiltFromDeployDockerfile_withTheRepositoryAsContext() {
        Yml build = RELAYMESH.get("build");
        Path context = ComposeFile.FILE.getParent().resolve(build.get("context").text()).normalize();
        assertEquals(DeployFiles.ROOT, context, NAME + ": the build context should be the repository root");
        Path dockerfile = context.resolve(build.get("dockerfile").text()).normalize();
        assertEquals(DeployFiles.DEPLOY.resolve("Dockerfile"), dockerfile, NAME + ": build.dockerfile");
    }

    @Test
    void relaymesh_scales_withoutFixedNamesHostPortsOrIdentities() {
        for (String fixed : List.of("container_name", "hostname")) {
            assertFalse(RELAYMESH.has(fixed), NAME + ": relaymesh must not set " + fixed
                    + ": every replica would get the same one, and --scale refuses or collides");
        }
        for (ComposeFile.Port port : ComposeFile.ports(RELAYMESH, Map.of())) {
            assertTrue(port.host().isEmpty() || port.host().get().isEmpty(), port.where()
                    + ": a fixed host port can be bound by one replica only; users come in through lb");
        }
        // Left unset, each replica takes its own container host name and IP: set, all would share one.
        Set<String> env = ComposeFile.environment(RELAYMESH).keySet();
        assertFalse(env.contains("RELAYMESH_SERVER_POD_ID"), NAME + ": a fixed pod id would be the same on every replica");
        assertFalse(env.contains("RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS"),
                NAME + ": a fixed gRPC address would be the same on every replica");
        assertTrue(RELAYMESH.get("deploy").get("replicas").integer() >= 2, NAME + ": deploy.replicas should be 2 or more");
    }

    @Test
    void onlyTheLoadBalancer_publishesAPort_theOneItListensOn() {
        for (String service : COMPOSE.serviceNames()) {
            List<ComposeFile.Port> published = ComposeFile.ports(COMPOSE.service(service), Map.of());
            if (service.equals("lb")) {
                assertEquals(1, published.size(), NAME + ": the load balancer should publish one port: " + published);
                assertEquals(HaproxyConfig.load().frontendPort(), published.get(0).container(),
                        NAME + ": lb should publish the port haproxy.cfg binds");
                assertEquals(Optional.of("8080"), published.get(0).host(), NAME + ": users connect to port 8080");
            } else if (service.equals("nats")) {
                // Backends on the host publish to JetStream: on the loopback only, at a port Docker
                // picks unless NATS_PUBLIC_PORT sets one (4222 is often taken by a local nats-server).
                List<String> specs = COMPOSE.service("nats").get("ports").list().stream().map(Yml::text).toList();
                assertEquals(List.of("127.0.0.1:${NATS_PUBLIC_PORT:-}:4222"), specs,
                        NAME + ": nats should publish its client port on 127.0.0.1 only");
            } else {
                assertTrue(published.stream().allMatch(p -> p.host().isEmpty()),
                        NAME + ": " + service + " should not publish ports on the host: " + published);
            }
        }
    }

    @Test
    void relaymesh_restartsAfterACrash_andReadsTheMountedConfigFile_withSettableFileLimits() {
        assertEquals("always", RELAYMESH.get("restart").text(), NAME + ": a crashed pod should be restarted");
        Map<String, String> mounts = ComposeFile.volumes(RELAYMESH);
        assertEquals("/app/config/config.yaml", mounts.get("${RELAYMESH_CONFIG_FILE:-../config/config.yaml}"),
                NAME + ": relaymesh should mount config/config.yaml (or RELAYMESH_CONFIG_FILE) read-only where"
                        + " the image's RELAYMESH_CONFIG points: " + mounts);
        assertTrue(RELAYMESH.get("volumes").list().stream().map(Yml::text)
                .anyMatch(v -> v.endsWith(":/app/config/config.yaml:ro")), NAME + ": the config file is mounted read-only");
        assertTrue(Files.isRegularFile(DeployFiles.DEPLOY.resolve("../config/config.yaml")), "config/config.yaml");
        assertEquals("${RELAYMESH_NOFILE:-65536}", RELAYMESH.get("ulimits").get("nofile").get("hard").text(),
                NAME + ": hosts whose dockerd has a lower hard limit set RELAYMESH_NOFILE");
        assertEquals("${LB_NOFILE:-131072}", COMPOSE.service("lb").get("ulimits").get("nofile").get("hard").text(),
                NAME + ": hosts whose dockerd has a lower hard limit set LB_NOFILE");
    }

    @Test
    void loadBalancer_mountsHaproxyCfg_andStartsAfterTheReplicas() {
        Yml lb = COMPOSE.service("lb");
        assertTrue(lb.get("image").text().startsWith("haproxy:"), NAME + ": lb image");
        Map<String, String> mounts = ComposeFile.volumes(lb);
        assertEquals("/usr/local/etc/haproxy/haproxy.cfg", mounts.get("./haproxy.cfg"),
                NAME + ": lb should mount ./haproxy.cfg where the haproxy image reads it: " + mounts);
        assertTrue(Files.isRegularFile(DeployFiles.DEPLOY.resolve("haproxy.cfg")), "deploy/haproxy.cfg is missing");
        assertTrue(lb.get("depends_on").has("relaymesh"), NAME + ": lb should depend on relaymesh");
    }

    @Test
    void relaymeshEnvironment_namesOnlyConfigurationKeys() {
        Map<String, String> env = containerEnv(DeployFiles.TEST_KEYS);
        assertTrue(env.keySet().stream().anyMatch(k -> k.startsWith("RELAYMESH_")), NAME + ": no RELAYMESH_* variables");
        assertEquals(List.of(), DeployFiles.unknownVariables(env), NAME + ": services.relaymesh.environment");
    }

    @Test
    void relaymeshEnvironment_withTheImageConfig_isClusterMode_onTheComposeServices() {
        Map<String, String> env = containerEnv(DeployFiles.TEST_KEYS);
        RelaymeshConfig config = DeployFiles.loaded(Optional.of(DeployFiles.CLUSTER_CONFIG), env,
                "config/config.yaml with the environment of " + NAME);

        assertFalse(config.standalone(), NAME + ": the replicas should run in cluster mode");
        assertEquals("redis:6379", config.redis().address(),
                NAME + ": redis.address should be the redis service on Redis' port");
        assertEquals("nats://nats:4222", config.nats().url(),
                NAME + ": nats.url should be the nats service on NATS' client port");
        assertFalse(ComposeFile.command(COMPOSE.service("redis")).contains("--port"), NAME + ": redis runs on 6379");
        assertFalse(ComposeFile.command(COMPOSE.service("nats")).contains("-p"), NAME + ": nats runs on 4222");
    }

    @Test
    void authKeys_comeFromTheEnvFile_whichTheExampleDocuments() {
        Map<String, String> raw = ComposeFile.environment(RELAYMESH);
        Map<String, String> example = DeployFiles.envFile(ComposeFile.ENV_EXAMPLE);
        for (String key : AUTH_KEYS) {
            assertTrue(raw.containsKey(key), NAME + ": relaymesh should set " + key);
            assertTrue(raw.get(key).matches("\\$\\{" + key + ":\\?.+}"), NAME + ": " + key
                    + " should come from the env file and be required: ${" + key + ":?message}, is " + raw.get(key));
            assertTrue(example.containsKey(key), "deploy/.env.example should document " + key);
        }
    }

    @Test
    void envExample_namesOnlyVariablesTheComposeFileUses_andItsPlaceholdersDoNotStart() {
        String compose = DeployFiles.read(ComposeFile.FILE);
        Set<String> used = Set.copyOf(DeployFiles.interpolatedNames(compose));
        // Commented-out optional lines count too: uncommented, they must work.
        Set<String> documented = DeployFiles.read(ComposeFile.ENV_EXAMPLE).lines().map(String::strip)
                .map(l -> l.replaceFirst("^#\\s*", "")).filter(l -> l.matches("[A-Z][A-Z0-9_]*=.*"))
                .map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toSet());
        assertEquals(used, documented, "deploy/.env.example should document exactly the variables " + NAME + " uses");

        Map<String, String> placeholders = containerEnv(DeployFiles.envFile(ComposeFile.ENV_EXAMPLE));
        List<String> problems = DeployFiles.problems(placeholders);
        for (String key : AUTH_KEYS) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(DeployFiles.configPath(key))),
                    "the placeholder of " + key + " in deploy/.env.example should be refused at start-up; problems: "
                            + problems);
        }
    }

    @Test
    void envFile_isGitIgnored() {
        List<String> ignored = DeployFiles.read(DeployFiles.DEPLOY.resolve(".gitignore")).lines().map(String::strip).toList();
        assertTrue(ignored.contains(".env") || ignored.contains("/.env"), "deploy/.gitignore should ignore .env");
    }

    @Test
    void stopGracePeriod_outlastsTheShutdownTimeout() {
        RelaymeshConfig config = DeployFiles.loaded(Optional.of(DeployFiles.CLUSTER_CONFIG),
                containerEnv(DeployFiles.TEST_KEYS), "config/config.yaml with the environment of " + NAME);
        var grace = DeployFiles.goDuration(RELAYMESH.get("stop_grace_period").text(), NAME + " stop_grace_period");
        assertTrue(grace.compareTo(config.server().shutdownTimeout().plusSeconds(5)) >= 0,
                NAME + ": stop_grace_period " + grace.toSeconds() + " s should exceed server.shutdown_timeout_seconds ("
                        + config.server().shutdownTimeout().toSeconds() + " s) by 5 s or more, or Docker kills the"
                        + " replica before its sockets are closed with 1001");
        assertEquals("SIGTERM", RELAYMESH.opt("stop_signal").map(Yml::text).orElse("SIGTERM"));
    }

    @Test
    void makeUp_runsThisComposeFile_withTheEnvFile_andScalesRelaymesh() {
        String makefile = DeployFiles.read(DeployFiles.ROOT.resolve("Makefile"));
        assertTrue(makefile.contains("ENV_FILE ?= deploy/.env")
                        && makefile.contains("docker compose -f deploy/docker-compose.yml --env-file $(ENV_FILE)"),
                "Makefile: the compose targets should run deploy/docker-compose.yml with deploy/.env by default");
        assertTrue(makefile.contains("--scale relaymesh=$(REPLICAS)"), "Makefile: make up should scale relaymesh");
        for (String target : List.of("up:", "down:", "scale:", "reload:", "logs:", "ps:")) {
            assertTrue(makefile.lines().anyMatch(l -> l.startsWith(target) && l.contains("##")),
                    "Makefile: target " + target + " with a help line is missing");
        }
    }

    private static void assertDataOnNamedVolume(Yml service, String name, String dataDir) {
        Map<String, String> mounts = ComposeFile.volumes(service);
        String volume = mounts.entrySet().stream().filter(e -> e.getValue().equals(dataDir)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        assertTrue(volume != null, NAME + ": " + name + " should mount a volume on " + dataDir + ": " + mounts);
        assertTrue(COMPOSE.root().get("volumes").keys().contains(volume),
                NAME + ": " + name + "'s " + volume + " should be a named volume declared under volumes:");
    }
}
