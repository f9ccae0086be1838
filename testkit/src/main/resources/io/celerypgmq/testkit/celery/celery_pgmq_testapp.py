"""The Celery app the Java test driver publishes with and runs workers of.

Every task execution is recorded as one JSON line (RPUSH) in the Redis list named by CPT_RECORD_KEY,
written with a plain redis client (never key-prefixed), so tests can read exactly what each task received.
Configuration comes from the environment: CPT_REDIS (connection as JSON), CPT_CONFIG (Celery settings as JSON) and,
when the broker is not that Redis (kombu's pgmq transport: pgmq://...), CPT_BROKER. Records and results stay in Redis.
"""

import json
import os
import time
import urllib.parse

import redis
from celery import Celery
from celery.signals import task_prerun, worker_ready

import typed_json

RECORD_KEY = os.environ.get("CPT_RECORD_KEY", "celery-pgmq-test:executions")

# Request attributes that Celery itself sets; anything else on the request came from a custom header.
_STANDARD = {
    "args", "callbacks", "called_directly", "chain", "chord", "correlation_id", "delivery_info", "errbacks",
    "eta", "expires", "group", "group_index", "headers", "hostname", "id", "ignore_result", "is_eager",
    "kwargs", "logfile", "loglevel", "origin", "parent_id", "properties", "retries", "reply_to",
    "replaced_task_nesting", "root_id", "shadow", "taskset", "timelimit", "utc", "lang", "task", "argsrepr",
    "kwargsrepr", "stamps", "stamped_headers", "redelivered", "compression", "_children", "_protected",
    "delivery_tag", "priority", "content_type", "content_encoding", "application_headers",
    "body_encoding", "delivery_mode", "exchange", "routing_key",
}


def _redis_settings():
    return json.loads(os.environ["CPT_REDIS"])


def redis_url(settings=None):
    s = settings or _redis_settings()
    auth = ""
    if s.get("password") is not None:
        user = urllib.parse.quote(s.get("user") or "", safe="")
        auth = user + ":" + urllib.parse.quote(s["password"], safe="") + "@"
    scheme = "rediss" if s.get("tls") else "redis"
    return "%s://%s%s:%d/%d" % (scheme, auth, s["host"], s["port"], s["db"])


_recorder = None


def recorder():
    global _recorder
    if _recorder is None:
        _recorder = redis.Redis.from_url(redis_url())
    return _recorder


def make_app(config):
    app = Celery("celery_pgmq_testapp", broker=os.environ.get("CPT_BROKER") or redis_url(), set_as_current=True)
    conf = {
        "accept_content": ["json", "pickle", "msgpack", "yaml"],
        "result_accept_content": ["json", "pickle", "msgpack", "yaml"],
        "timezone": "UTC",
        "enable_utc": True,
        "worker_hijack_root_logger": True,
        "broker_connection_retry_on_startup": True,
    }
    if config.pop("result_backend", False):
        conf["result_backend"] = redis_url()
    conf.update(config)
    app.conf.update(conf)
    _register_tasks(app)
    return app


def _register_tasks(app):
    @app.task(name="tasks.add")
    def add(x, y):
        return x + y

    @app.task(name="tasks.mul")
    def mul(x, y):
        return x * y

    @app.task(name="tasks.tsum")
    def tsum(values):
        return sum(values)

    # Returns nothing: what it receives may be bytes or datetimes the json result backend cannot store.
    @app.task(name="tasks.echo")
    def echo(*args, **kwargs):
        return None

    @app.task(name="tasks.record")
    def record(*args, **kwargs):
        return None

    # One optional positional argument makes this an "old-style" errback: Celery 5.2 publishes it with the failed
    # task's id instead of calling it in-process (a *args errback would run without task_prerun, unrecorded).
    @app.task(name="tasks.on_error")
    def on_error(task_id=None):
        return None

    @app.task(name="tasks.fail")
    def fail(*args, **kwargs):
        raise ValueError("tasks.fail always fails")


def _custom_headers(request):
    found = {}
    if isinstance(request.headers, dict):
        found.update(request.headers)
    for key, value in vars(request).items():
        if key not in _STANDARD and not key.startswith("_"):
            found[key] = value
    return found


@task_prerun.connect
def _record_execution(sender=None, task_id=None, task=None, args=None, kwargs=None, **_):
    request = task.request
    delivery_info = request.delivery_info or {}
    line = {
        "id": task_id,
        "task": task.name,
        "args": typed_json.encode(list(args or ())),
        "kwargs": typed_json.encode(dict(kwargs or {})),
        "retries": request.retries,
        "eta": None if request.eta is None else str(request.eta),
        "expires": None if request.expires is None else str(request.expires),
        "priority": delivery_info.get("priority"),
        "exchange": delivery_info.get("exchange"),
        "routing_key": delivery_info.get("routing_key"),
        "root_id": request.root_id,
        "parent_id": request.parent_id,
        "group": request.group,
        "group_index": getattr(request, "group_index", None),
        "timelimit": typed_json.encode(request.timelimit),
        "callbacks": typed_json.encode(request.callbacks),
        "errbacks": typed_json.encode(request.errbacks),
        "chain": typed_json.encode(request.chain),
        "chord": typed_json.encode(request.chord),
        "headers": typed_json.encode(_custom_headers(request)),
        "executed_at": time.time(),
    }
    recorder().rpush(RECORD_KEY, json.dumps(line))


@worker_ready.connect
def _announce_ready(**_):
    recorder().rpush(RECORD_KEY + ":ready", str(os.getpid()))
