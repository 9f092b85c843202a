package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.contract.RevocationListContract;

class InMemoryRevocationListTest extends RevocationListContract {
    @Override
    protected RevocationList createList() {
        return new InMemoryRevocationList(Clock.SYSTEM);
    }
}
