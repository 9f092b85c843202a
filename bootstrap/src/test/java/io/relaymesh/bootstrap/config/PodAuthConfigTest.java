package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.CLUSTER_SECRET;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How pods authenticate each other: cluster mode refuses to run unauthenticated unless told so. */
class PodAuthConfigTest {
    static final String SECRET_REQUIRED = "server.cluster_secret: must be set in cluster mode, to the same value on"
            + " every pod (e.g. with RELAYMESH_SERVER_CLUSTER_SECRET=$(openssl rand -hex 32)), unless the pods use"
            + " mutual TLS (server.grpc_tls_cert_file, _key_file, _ca_file); server.grpc_allow_unauthenticated: true"
            + " runs without either, letting anyone who reaches the gRPC port push events to clients";

    /** Cluster mode with every auth key but no pod authentication. */
    private static Map<String, String> clusterEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.remove("RELAYMESH_SERVER_CLUSTER_SECRET");
        env.put("RELAYMESH_REDIS_ADDRESS", "redis:6379");
        env.put("RELAYMESH_NATS_URL", "nats://nats:4222");
        env.putAll(extra);
        return env;
    }

    @Test
    void clusterModeWithoutClusterSecretOrTls_isRejected_namingTheKeyAndHowToSetIt() {
        assertEquals(List.of(SECRET_REQUIRED), rejected(load(Optional.empty(), clusterEnv(Map.of()))).problems());
    }

    @Test
    void clusterModeWithoutAuthentication_loads_onlyWhenExplicitlyAllowed() {
        RelaymeshConfig config = loaded(load(Optional.empty(),
                clusterEnv(Map.of("RELAYMESH_SERVER_GRPC_ALLOW_UNAUTHENTICATED", "true")))).config();

        assertFalse(config.server().podAuth().authenticates());
        assertTrue(config.server().podAuth().allowUnauthenticated());
    }

    @Test
    void standaloneMode_needsNoClusterSecret() {
        assertTrue(loaded(load(Optional.empty(), Map.of())).config().standalone());
    }

    @Test
    void theClusterSecret_isTakenFromTheEnvironment_andMaskedInTheConfigsText() {
        RelaymeshConfig config = loaded(load(Optional.empty(),
                clusterEnv(Map.of("RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET)))).config();

        assertEquals(CLUSTER_SECRET, config.server().podAuth().clusterSecret());
        assertFalse(config.toString().contains(CLUSTER_SECRET.substring(2)), config.toString());
    }

    @Test
    void aShortOrBlankContainingClusterSecret_isRejected_givingOnlyItsLength() {
        List<String> shortOne = rejected(load(Optional.empty(),
                clusterEnv(Map.of("RELAYMESH_SERVER_CLUSTER_SECRET", "CHANGE_ME")))).problems();
        assertEquals(List.of("server.cluster_secret: must be at least 32 characters (e.g. openssl rand -hex 32),"
                + " got 9 characters; set by RELAYMESH_SERVER_CLUSTER_SECRET"), shortOne);

        List<String> spaced = rejected(load(Optional.empty(), clusterEnv(Map.of(
                "RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET.substring(0, 20) + " " + CLUSTER_SECRET)))).problems();
        assertEquals(1, spaced.size());
        assertTrue(spaced.getFirst().startsWith("server.cluster_secret: must contain only visible ASCII"), spaced.toString());
        assertFalse(spaced.getFirst().contains(CLUSTER_SECRET.substring(0, 10)));
    }

    @Test
    void aPreviousSecret_needsACurrentOne_thatDiffersFromIt() {
        assertEquals(List.of("server.cluster_secret_previous: is set but server.cluster_secret is empty (the previous"
                        + " secret is accepted besides the current one, never alone); set by RELAYMESH_SERVER_CLUSTER_SECRET_PREVIOUS",
                        SECRET_REQUIRED),
                rejected(load(Optional.empty(), clusterEnv(Map.of(
                        "RELAYMESH_SERVER_CLUSTER_SECRET_PREVIOUS", CLUSTER_SECRET)))).problems());
        assertEquals(List.of("server.cluster_secret_previous: must differ from server.cluster_secret;"
                        + " set by RELAYMESH_SERVER_CLUSTER_SECRET_PREVIOUS"),
                rejected(load(Optional.empty(), clusterEnv(Map.of(
                        "RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET,
                        "RELAYMESH_SERVER_CLUSTER_SECRET_PREVIOUS", CLUSTER_SECRET)))).problems());
    }

    @Test
    void tlsFiles_replaceTheSecret_butMustComeAllThree_andBeReadable(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("pod.pem"), "x");
        Path key = Files.writeString(dir.resolve("pod.key"), "x");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");

        RelaymeshConfig config = loaded(load(Optional.empty(), clusterEnv(Map.of(
                "RELAYMESH_SERVER_GRPC_TLS_CERT_FILE", cert.toString(),
                "RELAYMESH_SERVER_GRPC_TLS_KEY_FILE", key.toString(),
                "RELAYMESH_SERVER_GRPC_TLS_CA_FILE", ca.toString())))).config();
        assertTrue(config.server().podAuth().tls());

        List<String> partial = rejected(load(Optional.empty(), clusterEnv(Map.of(
                "RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET,
                "RELAYMESH_SERVER_GRPC_TLS_CERT_FILE", cert.toString())))).problems();
        assertEquals(2, partial.size(), partial.toString());
        assertTrue(partial.getFirst().startsWith("server.grpc_tls_key_file: must be set too"), partial.toString());

        List<String> missing = rejected(load(Optional.empty(), clusterEnv(Map.of(
                "RELAYMESH_SERVER_GRPC_TLS_CERT_FILE", cert.toString(),
                "RELAYMESH_SERVER_GRPC_TLS_KEY_FILE", key.toString(),
                "RELAYMESH_SERVER_GRPC_TLS_CA_FILE", dir.resolve("nope.pem").toString())))).problems();
        assertTrue(missing.getFirst().startsWith("server.grpc_tls_ca_file: \"" + dir.resolve("nope.pem")
                + "\" is not a readable file"), missing.toString());
    }
}
