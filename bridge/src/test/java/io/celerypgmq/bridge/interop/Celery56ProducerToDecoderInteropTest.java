package io.celerypgmq.bridge.interop;

import io.celerypgmq.testkit.celery.RealCelery;

/** The producer matrix published by Celery 5.6.3 (kombu 5.6), the version users run on Redis today. */
class Celery56ProducerToDecoderInteropTest extends CeleryProducerToDecoderInteropTest {
    @Override
    RealCelery celery() {
        return RealCelery.requireCelery56();
    }
}
