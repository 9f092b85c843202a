package io.relaymesh.adapters.mvstore;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.mailbox.contract.MailboxStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MvStoreMailboxStoreTest extends MailboxStoreContract {
    @TempDir
    Path dir;

    @Override
    protected MailboxStore createStore() {
        return new MvStoreMailboxStore(dir.resolve("contract").resolve("mailbox.db"));
    }

    @Test
    void theFileAndItsFolder_areCreatedOnFirstUse_andMessagesOutliveTheProcessObject() {
        Path file = dir.resolve("new/folder/mailbox.db");
        MailboxMessage message = message("bob", NOW + 60_000);
        MvStoreMailboxStore first = new MvStoreMailboxStore(file);
        first.store(message);
        assertTrue(Files.isRegularFile(file));
        first.close();
        try (MvStoreMailboxStore again = new MvStoreMailboxStore(file)) {
            assertEquals(List.of(message), again.pending("bob", 10, NOW));
            MailboxMessage later = message("bob", NOW + 60_000);
            again.store(later);
            assertEquals(List.of(message, later), again.pending("bob", 10, NOW), "order kept across a reopen");
        }
    }

    @Test
    void aFileHeldByAnotherStore_isAProblem_notACrash() {
        Path file = dir.resolve("locked.db");
        try (MvStoreMailboxStore holder = new MvStoreMailboxStore(file);
             MvStoreMailboxStore second = new MvStoreMailboxStore(file)) {
            assertNotNull(second.problem());
            assertThrows(PortUnavailableException.class, () -> second.pending("bob", 1, NOW));
            holder.store(message("bob", NOW + 1000));
        }
    }
}
