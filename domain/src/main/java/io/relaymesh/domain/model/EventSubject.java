package io.relaymesh.domain.model;

import java.util.List;

/**
 * Where an event goes, parsed from its NATS-style subject. Each case names the route keys its
 * audience registers under.
 */
public sealed interface EventSubject {
    String PREFIX = "websocket";

    String companyId();

    String agentId();

    /** The subject string, e.g. {@code websocket.c1.a1.messages.chat9}. */
    String value();

    /** Route keys whose connections should receive the event. */
    List<RouteKey> routeKeys();

    /** {@code websocket.{company}.{agent}.chats}: every user connection of that agent. */
    record Chats(String companyId, String agentId) implements EventSubject {
        public Chats {
            Names.requireSegment("company_id", companyId);
            Names.requireSegment("agent_id", agentId);
        }

        public String value() {
            return PREFIX + "." + companyId + "." + agentId + ".chats";
        }

        public List<RouteKey> routeKeys() {
            return List.of(RouteKey.agent(companyId, agentId));
        }
    }

    /** {@code websocket.{company}.{agent}.messages.{chat}}: user connections that selected the chat. */
    record Messages(String companyId, String agentId, String chatId) implements EventSubject {
        public Messages {
            Names.requireSegment("company_id", companyId);
            Names.requireSegment("agent_id", agentId);
            Names.requireSegment("chat_id", chatId);
        }

        public String value() {
            return PREFIX + "." + companyId + "." + agentId + ".messages." + chatId;
        }

        public List<RouteKey> routeKeys() {
            return List.of(RouteKey.chat(companyId, agentId, chatId));
        }
    }

    /** {@code websocket.{company}.{agent}.agents}: admin connections subscribed to that agent. */
    record Agents(String companyId, String agentId) implements EventSubject {
        public Agents {
            Names.requireSegment("company_id", companyId);
            Names.requireSegment("agent_id", agentId);
        }

        public String value() {
            return PREFIX + "." + companyId + "." + agentId + ".agents";
        }

        public List<RouteKey> routeKeys() {
            return RouteKey.adminAudience(companyId, agentId);
        }
    }

    /** The parsed subject, or the reason it is not one of the three forms. */
    sealed interface Parsed {
        record Ok(EventSubject subject) implements Parsed {
        }

        record Invalid(String reason) implements Parsed {
        }
    }

    String EXPECTED = "expected websocket.{company}.{agent}.chats, websocket.{company}.{agent}.messages.{chat_id}"
            + " or websocket.{company}.{agent}.agents";

    static Parsed parse(String subject) {
        if (subject == null || subject.isBlank()) {
            return new Parsed.Invalid("subject is missing; " + EXPECTED);
        }
        String[] parts = subject.split("\\.", -1);
        if (parts.length < 4 || !parts[0].equals(PREFIX)) {
            return new Parsed.Invalid("subject '" + subject + "' is not valid; " + EXPECTED);
        }
        for (int i = 1; i < parts.length; i++) {
            String problem = Names.problemWith(parts[i]);
            if (problem != null) {
                return new Parsed.Invalid("subject '" + subject + "' has an invalid segment " + (i + 1) + " ("
                        + problem + "); " + EXPECTED);
            }
        }
        String company = parts[1];
        String agent = parts[2];
        if (parts.length == 4 && parts[3].equals("chats")) {
            return new Parsed.Ok(new Chats(company, agent));
        }
        if (parts.length == 4 && parts[3].equals("agents")) {
            return new Parsed.Ok(new Agents(company, agent));
        }
        if (parts.length == 5 && parts[3].equals("messages")) {
            return new Parsed.Ok(new Messages(company, agent, parts[4]));
        }
        return new Parsed.Invalid("subject '" + subject + "' is not valid; " + EXPECTED);
    }
}
