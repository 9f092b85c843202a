package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.PresenceRegistry;
import io.relaymesh.domain.port.contract.PresenceRegistryContract;

class InMemoryPresenceRegistryTest extends PresenceRegistryContract {
    @Override
    protected PresenceRegistry createRegistry() {
        return new InMemoryPresenceRegistry();
    }
}
