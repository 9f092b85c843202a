package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Kubernetes manifests in deploy/k8s: every document of every YAML file but kustomization.yaml. */
record Manifests(List<Path> files, List<Yml> documents) {
    static final String KUSTOMIZATION = "kustomization.yaml";

    static Manifests load() {
        List<Path> files;
        try (Stream<Path> list = Files.list(DeployFiles.K8S)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals(KUSTOMIZATION)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("deploy/k8s cannot be listed", e);
        }
        List<Yml> docs = new ArrayList<>();
        files.forEach(f -> docs.addAll(Yml.loadAll(f)));
        return new Manifests(files, docs);
    }

    /** The one object of {@code kind} (and the given name when not null). */
    Yml one(String kind, String name) {
        List<Yml> found = all(kind).stream()
                .filter(d -> name == null || d.get("metadata").get("name").text().equals(name)).toList();
        if (found.size() != 1) {
            fail("deploy/k8s: expected one " + kind + (name == null ? "" : " named " + name) + ", found " + found.size());
        }
        return found.get(0);
    }

    List<Yml> all(String kind) {
        return documents.stream().filter(d -> d.get("kind").text().equals(kind)).toList();
    }

    /** The pod template's labels, which every selector must match. */
    Map<String, Object> podLabels() {
        return one("Deployment", null).get("spec").get("template").get("metadata").get("labels").map();
    }

    /** Whether {@code matchLabels} selects the pods: every label it asks for, the pods have. */
    boolean selectsPods(Map<String, Object> matchLabels) {
        Map<String, Object> pods = podLabels();
        return !matchLabels.isEmpty() && matchLabels.entrySet().stream()
                .allMatch(e -> String.valueOf(pods.get(e.getKey())).equals(String.valueOf(e.getValue())));
    }

    Yml container() {
        List<Yml> containers = one("Deployment", null).get("spec").get("template").get("spec").get("containers").list();
        if (containers.size() != 1) {
            fail("deploy/k8s: the Deployment should run one container, runs " + containers.size());
        }
        return containers.get(0);
    }

    /** The container port named {@code name}. */
    int containerPort(String name) {
        return container().get("ports").list().stream().filter(p -> p.get("name").text().equals(name))
                .map(p -> p.get("containerPort").integer()).findFirst()
                .orElseGet(() -> fail("deploy/k8s: the container has no port named " + name));
    }

    /** A port reference (a number, or the name of a container port) as a number. */
    int resolvePort(Yml ref) {
        return ref.value() instanceof Integer n ? n : containerPort(ref.text());
    }
}
