package io.relaymesh.bootstrap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.adapters.web.ws.LivenessSettings;
import io.relaymesh.adapters.web.ws.WriterSettings;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.ConfigChange;
import io.relaymesh.bootstrap.config.ConfigDiff;
import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.GeneratedSecrets;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.config.Secrets;
import io.relaymesh.bootstrap.wiring.ConfigFollower;
import io.relaymesh.bootstrap.wiring.CoreModule;
import io.relaymesh.bootstrap.wiring.CryptoModule;
import io.relaymesh.bootstrap.wiring.RelaymeshComponent;
import io.relaymesh.bootstrap.wiring.WebModule;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.TokenCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reloads the configuration on SIGHUP and when the config file changes. A file with problems is
 * refused (every problem logged, the running configuration kept). Otherwise each changed key is
 * logged (secrets masked); server, nats and redis keys are reported as needing a restart; the rest
 * is applied by replacing the settings holders the running code reads on every use, so no
 * connection is dropped. Changed auth keys rotate: the old ones stay accepted for
 * {@code auth.key_rotation_overlap_seconds}, then are dropped. The JWT keys are rebuilt on every
 * reload (the JWKS file is re-read) and swapped in when they changed. Counts
 * {@code relaymesh_config_reloads_total{result}}.
 *
 * <p>Thread-safe: reloads and key drops run one at a time on one scheduler thread ({@link
 * #reload} is also synchronized for callers on other threads).
 */
final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
    static final Duration FILE_DEBOUNCE = Duration.ofMillis(300);
    // A key is dropped a moment after its overlap, never a moment before.
    private static final long DROP_SLACK_MILLIS = 50;

    /** What a reload did; the {@code result} tag of the counter. */
    enum Result {
        APPLIED, REJECTED, UNCHANGED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The holders a reload replaces, and what re-reads the listener's certificate files (every
     * reload does: rotating a certificate changes the files, not the configuration).
     */
    record Targets(Settings<GatewaySettings> gateway, Settings<WriterSettings> writer,
                   Settings<LivenessSettings> liveness, Settings<ApiKeys> apiKeys, Settings<TokenCodec> codec,
                   Settings<JwtVerifier> jwt, String podId, Runnable reloadTls,
                   io.relaymesh.bootstrap.wiring.StreamRetention retention,
                   java.util.Collection<ConfigFollower> followers) {
        Targets(Settings<GatewaySettings> gateway, Settings<WriterSettings> writer,
                Settings<LivenessSettings> liveness, Settings<ApiKeys> apiKeys, Settings<TokenCodec> codec,
                Settings<JwtVerifier> jwt, String podId) {
            this(gateway, writer, liveness, apiKeys, codec, jwt, podId, () -> { },
                    io.relaymesh.bootstrap.wiring.StreamRetention.NONE, List.of());
        }

        static Targets of(RelaymeshComponent component) {
            return new Targets(component.gatewaySettings(), component.writerSettings(),
                    component.livenessSettings(), component.apiKeys(), component.tokenCodec(),
                    component.jwtVerifier(), component.facts().podId().value(), component.webEdge()::reloadTls,
                    component.streamRetention(), List.copyOf(component.configFollowers()));
        }
    }

    private final Optional<Path> file;
    private final Map<String, String> env;
    private final GeneratedSecrets generated;
    private final Targets targets;
    private final Clock clock;
    private final KeyRotation keys;
    private final Map<Result, Counter> counters = new EnumMap<>(Result.class);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("relaymesh-config-reload").unstarted(r));
    private volatile ConfigFileWatcher watcher;
    private RelaymeshConfig running;

    ConfigReloader(Optional<Path> file, Map<String, String> env, LoadResult.Loaded started, Targets targets,
                   MeterRegistry registry, Clock clock) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.generated = started.generatedSecrets();
        this.running = started.config();
        this.targets = targets;
        this.clock = clock;
        this.keys = new KeyRotation(started.config().auth());
        for (Result result : Result.values()) {
            counters.put(result, Counter.builder("relaymesh_config_reloads").tag("result", result.tag())
                    .description("Configuration reloads (SIGHUP or file change) by outcome").register(registry));
        }
    }

    /**
     * A reloader for a running gateway; it watches {@code file} (when there is one) from now on.
     *
     * @param env the process environment the configuration was loaded with
     */
    static ConfigReloader start(RelaymeshComponent component, LoadResult.Loaded started, Optional<Path> file,
                                Map<String, String> env) {
        ConfigReloader reloader = new ConfigReloader(file, env, started, Targets.of(component),
                component.meterRegistry(), Clock.SYSTEM);
        reloader.watchFile();
        return reloader;
    }

    /** Reloads whenever the config file's content changes (when a file was given). */
    void watchFile() {
        file.ifPresent(this::watch);
    }

    private void watch(Path path) {
        try {
            watcher = ConfigFileWatcher.start(path, FILE_DEBOUNCE, () -> reload("file change"), scheduler);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot watch {} for changes ({}); reload it with SIGHUP", path, e.toString());
        }
    }

    /** Reloads on the reloader's thread, soon; for signal handlers, which must not block. */
    void requestReload(String trigger) {
        scheduler.execute(() -> reload(trigger));
    }

    /** Loads the configuration again and applies what it may; returns what it did. */
    synchronized Result reload(String trigger) {
        String from = file.map(p -> " from " + p).orElse(" (environment only)");
        if (watcher != null) {
            watcher.markSeen();
        }
        try {
            targets.reloadTls().run();
        } catch (RuntimeException e) {
            LOG.error("config reload ({}): the TLS certificate was not reloaded; the running one stays: {}", trigger,
                    e.toString());
        }
        LoadResult result;
        try {
            result = load();
        } catch (RuntimeException e) {
            LOG.error("config reload ({}) failed; the running configuration stays", trigger, e);
            return count(Result.REJECTED);
        }
        if (result instanceof LoadResult.Rejected rejected) {
            LOG.warn("config reload ({}) rejected{}: {} problem(s); the running configuration stays", trigger, from,
                    rejected.problems().size());
            rejected.problems().forEach(p -> LOG.warn("config reload ({}) rejected: {}", trigger, p));
            return count(Result.REJECTED);
        }
        RelaymeshConfig loaded = ((LoadResult.Loaded) result).config();
        // Built on every reload, changed config or not: the JWKS file's content may have changed
        // under the same path (that is how its keys are rotated).
        JwtVerifier verifier;
        try {
            verifier = CryptoModule.jwtVerifierOf(loaded);
        } catch (IllegalArgumentException e) {
            LOG.warn("config reload ({}) rejected{}: {}; the running configuration stays", trigger, from,
                    e.getMessage());
            return count(Result.REJECTED);
        }
        boolean jwtKeysChanged = !CryptoModule.jwtFingerprint(verifier)
                .equals(CryptoModule.jwtFingerprint(targets.jwt().get()));
        ConfigDiff diff = ConfigDiff.between(running, loaded);
        List<ConfigChange> live = diff.live();
        List<ConfigChange> restart = diff.needingRestart();
        RelaymeshConfig next = ConfigDiff.applied(running, loaded);
        if (!live.isEmpty()) {
            try {
                apply(next, diff);
            } catch (RuntimeException e) {
                LOG.error("config reload ({}) could not be applied; the running configuration stays", trigger, e);
                return count(Result.REJECTED);
            }
            running = next;
        }
        if (jwtKeysChanged) {
            targets.jwt().set(verifier);
            LOG.info("config reload ({}): JWT keys changed (auth.jwt_secret, auth.jwks_file content or auth.jwks_url);"
                    + " new JWTs are checked with the new keys", trigger);
        }
        for (ConfigChange change : live) {
            LOG.info("config reload ({}): {}{}", trigger, change.describe(), overlapNote(change, next));
        }
        for (ConfigChange change : restart) {
            LOG.warn("config reload ({}): {} changed but needs a restart; not applied", trigger, change.describe());
        }
        String pending = restart.isEmpty() ? "" : "; changed but needs a restart: "
                + restart.stream().map(ConfigChange::key).collect(Collectors.joining(", "));
        if (live.isEmpty() && jwtKeysChanged) {
            LOG.info("config reload ({}){}: applied new JWT keys{}", trigger, from, pending);
            return count(Result.APPLIED);
        }
        if (live.isEmpty()) {
            LOG.info("config reload ({}){}: {}", trigger, from, restart.isEmpty() ? "no changes"
                    : "nothing applied" + pending);
            return count(Result.UNCHANGED);
        }
        LOG.info("config reload ({}){}: applied {} change(s){}", trigger, from, live.size(), pending);
        return count(Result.APPLIED);
    }

    /**
     * Loads with the process environment. Keys a standalone pod generated at start-up keep their
     * values when the file still leaves them empty (clients hold tokens made with them); a key the
     * file now sets wins, as it would have at start-up.
     */
    private LoadResult load() {
        LoadResult result = ConfigLoader.load(file, env);
        if (!(result instanceof LoadResult.Loaded loaded) || loaded.generatedSecrets().isEmpty()
                || generated.isEmpty()) {
            return result;
        }
        Map<String, String> keep = new LinkedHashMap<>();
        for (String key : loaded.generatedSecrets().keys()) {
            String value = generated.values().get(key);
            if (value != null) {
                keep.put(key, value);
            }
        }
        Map<String, String> withGenerated = new HashMap<>(env);
        withGenerated.putAll(new GeneratedSecrets(keep).asEnvironment());
        return ConfigLoader.load(file, withGenerated);
    }

    /** Builds every new value first (so a failure applies nothing), then swaps them in. */
    private void apply(RelaymeshConfig next, ConfigDiff diff) {
        GatewaySettings gateway = CoreModule.gatewaySettingsOf(next);
        WriterSettings writer = WebModule.writerSettingsOf(next);
        LivenessSettings liveness = WebModule.livenessSettingsOf(next);
        boolean keysChanged = diff.changed("auth.secret_token") || diff.changed("auth.token_aes_key")
                || diff.changed("auth.admin_secret_token") || diff.changed("auth.admin_token_aes_key")
                || diff.changed("auth.client_api_key") || diff.changed("auth.admin_client_api_key")
                || diff.changed("auth.ws_accepts_secret_token");
        if (keysChanged) {
            Instant now = clock.now();
            keys.rotate(next.auth(), now);
            publishKeys();
            keys.nextExpiry().ifPresent(this::scheduleDrop);
        }
        if (diff.changed("nats.stream_max_age_seconds") || diff.changed("nats.stream_max_bytes")) {
            // Throws when NATS refuses: the reload is then rejected and the running config stays.
            targets.retention().apply(next.nats().streamMaxAge(), next.nats().streamMaxBytes());
        }
        targets.gateway().set(gateway);
        targets.writer().set(writer);
        targets.liveness().set(liveness);
        targets.followers().forEach(follower -> follower.follow(next));
        Logging.setLevel(next.app().logLevel());
        if (diff.changed("app.log_format")) {
            Logging.configure(next.app().logFormat(), targets.podId());
        }
    }

    private void publishKeys() {
        ApiKeys apiKeys = keys.apiKeys();
        TokenCodec codec = keys.codec();
        targets.apiKeys().set(apiKeys);
        targets.codec().set(codec);
    }

    private void scheduleDrop(Instant at) {
        long delay = Math.max(0, Duration.between(clock.now(), at).toMillis()) + DROP_SLACK_MILLIS;
        scheduler.schedule(this::dropExpiredKeys, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops accepting the retired keys whose overlap has ended. */
    synchronized void dropExpiredKeys() {
        List<KeyRotation.Retired> dropped = keys.dropExpired(clock.now());
        if (dropped.isEmpty()) {
            return;
        }
        try {
            publishKeys();
        } catch (RuntimeException e) {
            LOG.error("could not drop the previous auth keys", e);
            return;
        }
        for (KeyRotation.Retired key : dropped) {
            LOG.info("key rotation: the previous {} {} is no longer accepted (its overlap ended)", key.kind().key,
                    Secrets.mask(key.value()));
        }
        keys.nextExpiry().ifPresent(this::scheduleDrop);
    }

    private static String overlapNote(ConfigChange change, RelaymeshConfig next) {
        boolean rotating = switch (change.key()) {
            case "auth.secret_token", "auth.token_aes_key", "auth.admin_secret_token", "auth.admin_token_aes_key" ->
                    true;
            default -> false;
        };
        if (!rotating) {
            return "";
        }
        long seconds = next.auth().keyRotationOverlap().toSeconds();
        return seconds == 0 ? " (the previous value is no longer accepted)"
                : " (the previous value stays accepted for " + seconds + " s)";
    }

    private Result count(Result result) {
        counters.get(result).increment();
        return result;
    }

    /** The configuration in force (the live sections as last reloaded). */
    synchronized RelaymeshConfig running() {
        return running;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
