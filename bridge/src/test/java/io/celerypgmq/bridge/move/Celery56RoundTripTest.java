package io.celerypgmq.bridge.move;

import io.celerypgmq.testkit.celery.RealCelery;

/** Celery 5.6.3 produces on Redis, the bridge moves to pgmq and back, a Celery 5.6.3 worker runs the result. */
class Celery56RoundTripTest extends RealCeleryRoundTripTest {
    @Override
    RealCelery celery() {
        return RealCelery.requireCelery56();
    }
}
