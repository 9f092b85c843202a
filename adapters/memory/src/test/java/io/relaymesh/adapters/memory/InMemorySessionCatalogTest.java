package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.contract.SessionCatalogContract;

class InMemorySessionCatalogTest extends SessionCatalogContract {

    @Override
    protected Store createStore() {
        InMemorySessionLocks locks = new InMemorySessionLocks();
        return new Store(locks, locks);
    }
}
