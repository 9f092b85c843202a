package io.relaymesh.bootstrap.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings that keep an unsafe seed behaviour on purpose, each as a warning line for the start-up
 * log, so that an operator who left one on by accident sees it on every start.
 */
public final class SecurityWarnings {
    private SecurityWarnings() {
    }

    public static List<String> of(RelaymeshConfig config) {
        List<String> warnings = new ArrayList<>();
        if (config.auth().wsAcceptsSecretToken()) {
            warnings.add(ConfigKey.AUTH_WS_ACCEPTS_SECRET_TOKEN.path() + " is true: WebSocket clients may send the "
                    + "server keys (auth.secret_token, auth.admin_secret_token), which mint tokens, so every browser "
                    + "that holds one can impersonate any user; give clients auth.client_api_key (or only a token) "
                    + "and set it to false (relaymesh_ws_server_key_total{outcome=\"accepted\"} counts who still sends it)");
        }
        if (config.nats().allowInsecureTls()) {
            warnings.add(ConfigKey.NATS_ALLOW_INSECURE_TLS.path() + " is true: opentls:// URLs in nats.url are "
                    + "accepted, and jnats then trusts any certificate the NATS server (or anyone on the path) presents; "
                    + "use tls:// with nats.tls_ca_file and set it to false");
        }
        ConversationsDialectConfig conversations = config.dialects().conversations();
        if (conversations.enabled() && conversations.allowWithoutClaim()) {
            warnings.add(ConfigKey.DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM.path() + " is true: a conversations "
                    + "client whose JWT has no " + conversations.conversationsClaim() + " claim may subscribe to any "
                    + "conversation and read its messages (the seed's behaviour); put the conversation ids in the token "
                    + "and set it to false");
        }
        if (config.dialects().mailbox().enabled() && !config.dialects().mailbox().requireToken()) {
            warnings.add(ConfigKey.DIALECTS_MAILBOX_REQUIRE_TOKEN.path() + " is false: a mailbox client says who it is "
                    + "with a bare wayfarer_id in hello (the seed's protocol), so anyone who knows or guesses one can "
                    + "read, ack and send as that wayfarer; give clients a JWT whose sub is their wayfarer_id "
                    + "(auth.jwt_secret / auth.jwks_*) and set it to true");
        }
        RoomsConfig rooms = config.dialects().rooms();
        if (rooms.enabled() && !rooms.authRequired()) {
            warnings.add(ConfigKey.DIALECTS_ROOMS_AUTH_REQUIRED.path() + " is false: anyone who reaches the server may "
                    + "join any topic of the peer rooms (" + rooms.path() + ", a join on /ws"
                    + (rooms.listenerPort() > 0 ? ", port " + rooms.listenerPort() : "") + ") and read what its peers "
                    + "send, as with the seed relay, where a topic is its own secret; set it to true and give clients "
                    + "JWTs whose \"topics\" claim names their topics (docs/dialects/rooms.md)");
        }
        return warnings;
    }
}
