package io.relaymesh.adapters.memory;

import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.mailbox.contract.MailboxStoreContract;

class InMemoryMailboxStoreTest extends MailboxStoreContract {
    @Override
    protected MailboxStore createStore() {
        return new InMemoryMailboxStore();
    }
}
