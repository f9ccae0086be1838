"""Starts one real Celery worker (solo pool) of the test app; settings come from CPT_CONFIG and CPT_WORKER."""

import json
import os
import sys

import celery_pgmq_testapp


def main():
    config = json.loads(os.environ.get("CPT_CONFIG", "{}"))
    worker = json.loads(os.environ.get("CPT_WORKER", "{}"))
    app = celery_pgmq_testapp.make_app(config)
    argv = [
        "worker",
        "--pool=solo",
        "--loglevel=" + worker.get("loglevel", "INFO"),
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "--hostname=" + worker.get("hostname", "cpt-%d@localhost" % os.getpid()),
    ]
    if worker.get("queues"):
        argv.append("--queues=" + ",".join(worker["queues"]))
    sys.exit(app.worker_main(argv))


if __name__ == "__main__":
    main()
