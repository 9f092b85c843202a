package io.relaymesh.bootstrap;

import io.relaymesh.bootstrap.config.GeneratedSecrets;
import io.relaymesh.bootstrap.config.RelaymeshConfig;

/** The start-up message: where the gateway listens and, in standalone mode, how to try it at once. */
final class Banner {
    private Banner() {
    }

    static String render(RelaymeshConfig config, int port, GeneratedSecrets generated) {
        String base = (config.server().tls().enabled() ? "https" : "http") + "://localhost:" + port;
        String general = config.auth().secretToken();
        String admin = config.auth().adminSecretToken();
        StringBuilder out = new StringBuilder();
        out.append("\nRelaymesh ").append(config.standalone() ? "standalone" : "cluster")
                .append(" is up on ").append(base).append("  (pod ").append(config.server().podId()).append(")\n");
        if (config.server().dashboardsEnabled()) {
            out.append("Dashboards: ").append(base).append("/dashboard/user and ").append(base).append("/dashboard/admin")
                    .append(config.standalone() && !generated.isEmpty()
                            ? " (opened on this machine, the generated keys are filled in)" : "")
                    .append('\n');
        }
        if (!generated.isEmpty()) {
            out.append("\nNo auth keys were configured, so these were generated for this run only.\n")
                    .append("Export them (or put them in the config file) to keep them across restarts:\n");
            generated.asEnvironment().forEach((k, v) -> out.append("  export ").append(k).append('=').append(v)
                    .append('\n'));
        }
        if (config.standalone() && !generated.isEmpty()) {
            out.append("\nTry it (three terminals):\n")
                    .append("  # 1. a user token\n")
                    .append("  TOKEN=$(curl -s -X POST ").append(base).append("/generate-token \\\n")
                    .append("    -H 'X-API-Key: ").append(general).append("' -H 'Content-Type: application/json' \\\n")
                    .append("    -d '{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"alice\"}'")
                    .append(" | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')\n")
                    .append("  # 2. connect (any WebSocket client, e.g. websocat)\n")
                    .append("  websocat \"ws://localhost:").append(port)
                    .append("/ws/acme/support?token=$TOKEN&x-api-key=").append(general).append("\"\n")
                    .append("  # 3. publish an event to that agent\n")
                    .append("  curl -s -X POST ").append(base).append("/api/v1/publish \\\n")
                    .append("    -H 'X-API-Key: ").append(admin).append("' -H 'Content-Type: application/json' \\\n")
                    .append("    -d '{\"subject\":\"websocket.acme.support.chats\",")
                    .append("\"payload\":{\"event_id\":\"evt-1\",\"text\":\"hello\"}}'\n");
        }
        return out.toString();
    }
}
