package io.celerypgmq.bridge.interop;

import io.celerypgmq.testkit.celery.RealCelery;

/** The encoder matrix (what the way back writes) run by one Celery 5.6.3 worker, the version users run today. */
class Celery56WorkerRunsJavaEncodedMessagesTest extends JavaEncoderToCeleryWorkerInteropTest {
    @Override
    RealCelery celery() {
        return RealCelery.requireCelery56();
    }
}
