package io.relaymesh.adapters.nats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InFlightLimitTest {

    @Test
    void reserve_takesWhatIsFreeUpToTheBatch_andReleaseGivesItBack() throws InterruptedException {
        InFlightLimit limit = new InFlightLimit(5);

        assertEquals(3, limit.reserve(3));
        assertEquals(2, limit.reserve(10));
        assertEquals(0, limit.available());

        limit.release(4);
        assertEquals(4, limit.available());
    }
}
