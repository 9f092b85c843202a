package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.DeliveryLedger;
import io.relaymesh.domain.port.contract.DeliveryLedgerContract;

class InMemoryDeliveryLedgerTest extends DeliveryLedgerContract {
    @Override
    protected DeliveryLedger createLedger() {
        return new InMemoryDeliveryLedger();
    }
}
