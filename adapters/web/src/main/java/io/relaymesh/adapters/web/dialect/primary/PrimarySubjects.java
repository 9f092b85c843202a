package io.relaymesh.adapters.web.dialect.primary;

import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBinding.Start;
import io.relaymesh.domain.model.SubjectBinding.Stream;

import java.util.List;

/**
 * The primary protocol's inbound subjects and their audiences (DESIGN.md, "Route keys"), with the
 * seed's consumer choices: {@code chats} and {@code agents} from the first retained message,
 * {@code messages} from the last message of each chat subject (DeliverLastPerSubject). The
 * captures {@code company} and {@code agent} become attributes: admin connections are filtered by
 * {@code company}.
 */
public final class PrimarySubjects {
    public static final String PREFIX = "websocket";

    private PrimarySubjects() {
    }

    public static List<SubjectBinding> bindings() {
        return List.of(
                new SubjectBinding("chats", Stream.PRIMARY, PREFIX + ".{company}.{agent}.chats",
                        List.of("agent:{company}:{agent}"), Start.ALL),
                new SubjectBinding("agents", Stream.PRIMARY, PREFIX + ".{company}.{agent}.agents",
                        List.of("admin:{company}:{agent}", "admin:{company}:*", "admin:*:{agent}", "admin:*:*"),
                        Start.ALL),
                new SubjectBinding("messages", Stream.PRIMARY, PREFIX + ".{company}.{agent}.messages.{chat}",
                        List.of("chat:{company}:{agent}:{chat}"), Start.LAST_PER_SUBJECT));
    }
}
