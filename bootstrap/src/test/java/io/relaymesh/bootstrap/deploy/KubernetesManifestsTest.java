package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s: the manifests parse, kustomization lists them all, and what they give each pod (the
 * ConfigMap's file, the downward-API identity, the Secret's keys) is a valid cluster configuration
 * whose ports, probes and grace period agree with the Services and policies around it.
 */
class KubernetesManifestsTest {
    private static final Manifests K8S = Manifests.load();
    private static final Yml DEPLOYMENT = K8S.one("Deployment", null);
    private static final Yml POD_SPEC = DEPLOYMENT.get("spec").get("template").get("spec");
    private static final Yml CONTAINER = K8S.container();
    private static final String POD_NAME = "relaymesh-6f9c7d8b5-x2k7q";
    private static final String POD_IP = "10.42.0.17";
    private static final List<String> AUTH_KEYS = DeployFiles.TEST_KEYS.keySet().stream().sorted().toList();

    @TempDir
    Path dir;

    @Test
    void everyManifest_hasAKindAndName_andNoNamespace() {
        assertFalse(K8S.files().isEmpty(), "deploy/k8s holds no manifests");
        for (Yml doc : K8S.documents()) {
            assertFalse(doc.get("apiVersion").text().isBlank(), doc.where() + " apiVersion");
            Yml metadata = doc.get("metadata");
            assertFalse(metadata.get("name").text().isBlank(), doc.where() + " metadata.name");
            assertFalse(metadata.has("namespace"), doc.where() + " sets a namespace; the manifests are namespace-agnostic");
        }
        Set<String> kinds = new TreeSet<>(K8S.documents().stream().map(d -> d.get("kind").text()).toList());
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy",
                "PodDisruptionBudget", "Secret", "Service")), kinds, "deploy/k8s kinds");
    }

    @Test
    void kustomization_listsEveryManifestFile_andSetsNoNamespace() {
        Yml kustomization = Yml.load(DeployFiles.K8S.resolve(Manifests.KUSTOMIZATION));
        assertEquals("Kustomization", kustomization.get("kind").text());
        List<String> listed = kustomization.get("resources").list().stream().map(Yml::text).toList();
        List<String> present = K8S.files().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(new TreeSet<>(present), new TreeSet<>(listed), "deploy/k8s/kustomization.yaml resources");
        assertEquals(listed.size(), Set.copyOf(listed).size(), "kustomization.yaml lists a file twice: " + listed);
        assertFalse(kustomization.has("namespace"), "kustomization.yaml should leave the namespace to kubectl -n");
    }

    @Test
    void podEnvironment_andSecret_nameOnlyConfigurationKeys() {
        Map<String, String> env = new HashMap<>(podEnv());
        secretData().keySet().forEach(k -> env.put(k, "x"));
        assertTrue(env.keySet().containsAll(AUTH_KEYS), "the pods should get the four auth keys: " + env.keySet());
        assertEquals(List.of(), DeployFiles.unknownVariables(env), "deploy/k8s: pod environment and Secret keys");
    }

    @Test
    void podIdentity_comesFromTheDownwardApi_andAdvertisesThePodIpOnTheGrpcPort() {
        List<Yml> env = CONTAINER.get("env").list();
        assertEquals("metadata.name", fieldRef(env, "RELAYMESH_SERVER_POD_ID"),
                "RELAYMESH_SERVER_POD_ID should be the pod's name");
        assertEquals("status.podIP", fieldRef(env, "POD_IP"), "POD_IP should be the pod's IP");
        int podIp = indexOf(env, "POD_IP");
        int advertise = indexOf(env, "RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS");
        assertTrue(podIp < advertise, "POD_IP must come before RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS, or $(POD_IP)"
                + " is not expanded");
        assertEquals("$(POD_IP):" + K8S.containerPort("grpc"), env.get(advertise).get("value").text());
    }

    @Test
    void configMapFile_withThePodEnvironment_isClusterMode_withThePodsIdentity() throws IOException {
        RelaymeshConfig config = podConfig();

        assertFalse(config.standalone(), "the pods should run in cluster mode");
        assertEquals(POD_NAME, config.server().podId());
        assertEquals(POD_IP + ":" + config.server().grpcPort(), config.server().grpcAdvertiseAddress());
        assertFalse(config.redis().address().isBlank());
        assertFalse(config.nats().url().isBlank());
    }

    @Test
    void containerPorts_probes_andServices_agreeWithTheConfiguredPorts() throws IOException {
        RelaymeshConfig config = podConfig();
        assertEquals(config.server().httpPort(), K8S.containerPort("http"), "container port http = server.http_port");
        assertEquals(config.server().grpcPort(), K8S.containerPort("grpc"), "container port grpc = server.grpc_port");

        assertProbe("readinessProbe", "/ready", config.server().httpPort());
        assertProbe("livenessProbe", "/health", config.server().httpPort());

        Yml traffic = service(false);
        Yml trafficPort = only(traffic.get("spec").get("ports").list(), traffic.where());
        assertEquals(config.server().httpPort(), K8S.resolvePort(trafficPort.get("targetPort")), "Service targetPort");
        assertEquals(config.server().httpPort(), trafficPort.get("port").integer(), "Service port (WebSocket, HTTP)");

        Yml grpc = service(true);
        Yml grpcPort = only(grpc.get("spec").get("ports").list(), grpc.where());
        assertEquals(config.server().grpcPort(), grpcPort.get("port").integer(), "headless Service port = gRPC port");
        assertEquals(config.server().grpcPort(), K8S.resolvePort(grpcPort.get("targetPort")), "headless targetPort");
    }

    @Test
    void everySelector_selectsTheRelaymeshPods() {
        assertTrue(K8S.selectsPods(DEPLOYMENT.get("spec").get("selector").get("matchLabels").map()), "Deployment selector");
        for (Yml service : K8S.all("Service")) {
            assertTrue(K8S.selectsPods(service.get("spec").get("selector").map()), service.where() + " selector");
        }
        assertTrue(K8S.selectsPods(K8S.one("PodDisruptionBudget", null).get("spec").get("selector").get("matchLabels").map()),
                "PodDisruptionBudget selector");
        assertTrue(K8S.selectsPods(K8S.one("NetworkPolicy", null).get("spec").get("podSelector").get("matchLabels").map()),
                "NetworkPolicy podSelector");
        Yml target = K8S.one("HorizontalPodAutoscaler", null).get("spec").get("scaleTargetRef");
        assertEquals("Deployment", target.get("kind").text());
        assertEquals(DEPLOYMENT.get("metadata").get("name").text(), target.get("name").text(), "HPA scaleTargetRef");
    }

    @Test
    void deployment_referencesTheConfigMapAndSecret_andReadsTheMountedConfigFile() {
        String secret = K8S.one("Secret", null).get("metadata").get("name").text();
        assertTrue(CONTAINER.get("envFrom").list().stream()
                        .anyMatch(e -> e.opt("secretRef").map(r -> r.get("name").text().equals(secret)).orElse(false)),
                "the container should take the Secret " + secret + " as environment (envFrom)");
        configFileInPod(); // fails when RELAYMESH_CONFIG is not the ConfigMap's file as mounted
    }

    @Test
    void termination_outlastsThePreStopSleepAndTheShutdownTimeout() throws IOException {
        RelaymeshConfig config = podConfig();
        int grace = POD_SPEC.get("terminationGracePeriodSeconds").integer();
        List<String> preStop = CONTAINER.get("lifecycle").get("preStop").get("exec").get("command").list().stream()
                .map(Yml::text).toList();
        assertEquals("sleep", preStop.get(0), "preStop should sleep so endpoints drop the pod before SIGTERM: " + preStop);
        int sleep = Integer.parseInt(preStop.get(1));
        assertTrue(sleep >= 5, "preStop sleep " + sleep + " s is too short for endpoints and load balancers to react");
        long needed = sleep + config.server().shutdownTimeout().toSeconds();
        assertTrue(grace > needed, "terminationGracePeriodSeconds " + grace + " should exceed preStop sleep (" + sleep
                + " s) + server.shutdown_timeout_seconds (" + config.server().shutdownTimeout().toSeconds()
                + " s), or the kubelet kills the pod before it closes its sockets with 1001");
    }

    @Test
    void container_runsAsNonRoot_onAReadOnlyRootFileSystem_withTmpWritable() {
        Yml security = CONTAINER.get("securityContext");
        assertEquals("true", security.get("readOnlyRootFilesystem").text(), "readOnlyRootFilesystem");
        assertEquals("false", security.get("allowPrivilegeEscalation").text(), "allowPrivilegeEscalation");
        boolean nonRoot = security.opt("runAsNonRoot").map(y -> y.text().equals("true")).orElse(false)
                || POD_SPEC.get("securityContext").opt("runAsNonRoot").map(y -> y.text().equals("true")).orElse(false);
        assertTrue(nonRoot, "runAsNonRoot should be true");
        String tmpVolume = CONTAINER.get("volumeMounts").list().stream()
                .filter(m -> m.get("mountPath").text().equals("/tmp")).map(m -> m.get("name").text()).findFirst()
                .orElseGet(() -> fail("the read-only container needs a volume on /tmp (the JVM writes there)"));
        assertTrue(volume(tmpVolume).has("emptyDir"), "/tmp should be an emptyDir");
        assertTrue(CONTAINER.get("resources").get("requests").has("cpu"), "the HPA scales on CPU: requests.cpu needed");
        assertTrue(CONTAINER.get("resources").get("requests").has("memory"), "requests.memory");
    }

    @Test
    void secret_carriesTheFourAuthKeysAndTheClusterSecret_asPlaceholdersThatDoNotStart() {
        Map<String, String> data = secretData();
        assertTrue(data.keySet().containsAll(AUTH_KEYS), "the Secret should carry " + AUTH_KEYS + ", has " + data.keySet());
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "RELAYMESH_REDIS_ADDRESS", "redis:6379", "RELAYMESH_NATS_URL", "nats://nats:4222"));
        AUTH_KEYS.forEach(key -> env.put(key, data.get(key)));
        List<String> problems = DeployFiles.problems(env);
        for (String key : AUTH_KEYS) {
            String path = DeployFiles.configPath(key);
            assertTrue(problems.stream().anyMatch(p -> p.contains(path)), "the Secret's placeholder for " + key
                    + " should be refused at start-up, so that no pod runs with a published key; problems: " + problems);
        }
    }

    @Test
    void networkPolicy_opensHttpToAll_andGrpcToRelaymeshPodsOnly() {
        Yml policy = K8S.one("NetworkPolicy", null).get("spec");
        int http = K8S.containerPort("http");
        int grpc = K8S.containerPort("grpc");
        boolean httpOpen = false;
        boolean grpcFromPods = false;
        for (Yml rule : policy.get("ingress").list()) {
            List<Integer> ports = rule.get("ports").list().stream().map(p -> K8S.resolvePort(p.get("port"))).toList();
            if (!rule.has("from")) {
                assertFalse(ports.contains(grpc), rule.where() + " opens gRPC to everyone");
                httpOpen |= ports.contains(http);
            } else if (ports.contains(grpc)) {
                for (Yml peer : rule.get("from").list()) {
                    assertEquals(Set.of("podSelector"), Set.copyOf(peer.keys()), peer.where() + ": gRPC only from pods");
                    assertTrue(K8S.selectsPods(peer.get("podSelector").get("matchLabels").map()),
                            peer.where() + " should select the relaymesh pods");
                }
                grpcFromPods = true;
            }
        }
        assertTrue(httpOpen, "the NetworkPolicy should admit anyone on " + http);
        assertTrue(grpcFromPods, "the NetworkPolicy should admit relaymesh pods on " + grpc);
    }

    @Test
    void autoscalingAndDisruptionBudget_keepPodsServing() {
        Yml hpa = K8S.one("HorizontalPodAutoscaler", null);
        assertEquals("autoscaling/v2", hpa.get("apiVersion").text());
        Yml spec = hpa.get("spec");
        int min = spec.get("minReplicas").integer();
        assertTrue(min >= 2 && spec.get("maxReplicas").integer() > min, hpa.where() + " replica range");
        assertTrue(spec.get("metrics").list().stream().anyMatch(m -> m.get("type").text().equals("Resource")
                && m.get("resource").get("name").text().equals("cpu")), "the HPA should scale on CPU");
        assertEquals(3, DEPLOYMENT.get("spec").get("replicas").integer(), "Deployment replicas");

        Yml pdb = K8S.one("PodDisruptionBudget", null).get("spec");
        int unavailable = pdb.opt("maxUnavailable").map(Yml::integer)
                .orElseGet(() -> min - pdb.get("minAvailable").integer());
        assertTrue(unavailable >= 1 && unavailable < min, "the PodDisruptionBudget should let drains proceed and keep"
                + " pods serving: " + unavailable + " of " + min + " may be down");
    }

    // --- helpers ---

    /** The container's literal environment, with the downward-API values a pod would get. */
    private static Map<String, String> podEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Yml var : CONTAINER.get("env").list()) {
            String name = var.get("name").text();
            String value;
            if (var.has("value")) {
                value = expand(var.get("value").text(), env);
            } else {
                value = switch (var.get("valueFrom").get("fieldRef").get("fieldPath").text()) {
                    case "metadata.name" -> POD_NAME;
                    case "status.podIP" -> POD_IP;
                    default -> fail(var.where() + ": unexpected fieldRef");
                };
            }
            env.put(name, value);
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion: only variables defined earlier in the list. */
    private static String expand(String value, Map<String, String> earlier) {
        Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = earlier.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        return m.appendTail(out).toString();
    }

    private static Map<String, String> secretData() {
        Yml secret = K8S.one("Secret", null);
        Map<String, String> data = new LinkedHashMap<>();
        secret.opt("stringData").ifPresent(d -> d.map().forEach((k, v) -> data.put(k, String.valueOf(v))));
        assertTrue(secret.opt("data").isEmpty(), secret.where() + ": give the keys as stringData (readable placeholders)");
        return data;
    }

    /** The ConfigMap key and mount path behind RELAYMESH_CONFIG: (configmap name, key). */
    private static Map.Entry<String, String> configFileInPod() {
        String path = podEnv().get("RELAYMESH_CONFIG");
        assertTrue(path != null && path.contains("/"), "the container should set RELAYMESH_CONFIG to the mounted file");
        String directory = path.substring(0, path.lastIndexOf('/'));
        String file = path.substring(path.lastIndexOf('/') + 1);
        Yml mount = CONTAINER.get("volumeMounts").list().stream()
                .filter(m -> m.get("mountPath").text().equals(directory)).findFirst()
                .orElseGet(() -> fail("no volume is mounted at " + directory + " (RELAYMESH_CONFIG=" + path + ")"));
        assertFalse(mount.has("subPath"), mount.where() + ": a subPath mount never sees ConfigMap updates");
        String configMap = volume(mount.get("name").text()).get("configMap").get("name").text();
        return Map.entry(configMap, file);
    }

    /** What a pod loads: the ConfigMap's file with the pod environment and valid keys for the Secret's. */
    private RelaymeshConfig podConfig() throws IOException {
        Map.Entry<String, String> source = configFileInPod();
        Yml configMap = K8S.one("ConfigMap", source.getKey());
        Path file = Files.writeString(dir.resolve(source.getValue()), configMap.get("data").get(source.getValue()).text());
        Map<String, String> env = new HashMap<>(podEnv());
        env.remove("RELAYMESH_CONFIG");
        secretData().keySet().forEach(k -> env.put(k, DeployFiles.TEST_KEYS.getOrDefault(k, "")));
        return DeployFiles.loaded(Optional.of(file), env, "the ConfigMap's " + source.getValue() + " with the pod environment");
    }

    private static Yml volume(String name) {
        return POD_SPEC.get("volumes").list().stream().filter(v -> v.get("name").text().equals(name)).findFirst()
                .orElseGet(() -> fail("the pod has no volume named " + name));
    }

    private static String fieldRef(List<Yml> env, String name) {
        return env.get(indexOf(env, name)).get("valueFrom").get("fieldRef").get("fieldPath").text();
    }

    private static int indexOf(List<Yml> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).get("name").text().equals(name)) {
                return i;
            }
        }
        return fail("the container sets no " + name);
    }

    private static void assertProbe(String probe, String path, int httpPort) {
        Yml get = CONTAINER.get(probe).get("httpGet");
        assertEquals(path, get.get("path").text(), probe + " path");
        assertEquals(httpPort, K8S.resolvePort(get.get("port")), probe + " port should be server.http_port");
    }

    /** The Service that is headless ({@code clusterIP: None}) or the one that is not. */
    private static Yml service(boolean headless) {
        List<Yml> found = new ArrayList<>();
        for (Yml s : K8S.all("Service")) {
            boolean isHeadless = s.get("spec").opt("clusterIP").map(c -> c.text().equals("None")).orElse(false);
            if (isHeadless == headless) {
                found.add(s);
            }
        }
        return only(found, headless ? "the headless Service (gRPC)" : "the Service for WebSocket traffic");
    }

    private static Yml only(List<Yml> items, String what) {
        if (items.size() != 1) {
            fail("deploy/k8s: expected one of " + what + ", found " + items.size());
        }
        return items.get(0);
    }
}
