package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.RoomRoster;
import io.relaymesh.domain.port.contract.RoomRosterContract;

class InMemoryRoomRosterTest extends RoomRosterContract {
    @Override
    protected RoomRoster createRoster() {
        return new InMemoryRoomRoster();
    }
}
