package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.contract.RouteCatalogContract;

class InMemoryRouteCatalogTest extends RouteCatalogContract {

    @Override
    protected Store createStore() {
        InMemoryRouteRegistry registry = new InMemoryRouteRegistry();
        return new Store(registry, registry);
    }
}
