"""Publishes a matrix of calls with real Celery and prints, per call, one JSON line of what was published.

stdin: {"config": {Celery settings...}, "calls": [call, ...]} in typed JSON (see typed_json.py), where a call is
  {"kind": "task", "task": name, "args": [...], "kwargs": {...}, "options": {apply_async options}}
  {"kind": "chain" | "group", "tasks": [signature, ...], "options": {...}}
  {"kind": "chord", "tasks": [signature, ...], "body": signature, "options": {...}}
and a signature is {"task": name, "args": [...], "kwargs": {...}, "options": {...}, "immutable": bool}.
Options "eta"/"expires" given as strings are ISO datetimes; "link"/"link_error" are lists of signatures.
stdout: per call {"index", "kind", "task_id", "published_ids", "group_id", "before", "after", "error"}.
"""

import datetime
import json
import sys
import time

from celery import chain, chord, group, signature

import celery_pgmq_testapp
import typed_json


def _datetime(value):
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def _options(raw):
    raw = dict(raw or {})
    links = {key: raw.pop(key) for key in ("link", "link_error") if key in raw}
    options = typed_json.decode(raw)
    for key in ("eta", "expires"):
        if key in options:
            options[key] = _datetime(options[key])
    for key, signatures in links.items():
        options[key] = [_signature(s) for s in signatures]
    return options


def _signature(spec):
    return signature(
        spec["task"],
        args=typed_json.decode(spec.get("args", [])),
        kwargs=typed_json.decode(spec.get("kwargs", {})),
        options=_options(spec.get("options")),
        immutable=bool(spec.get("immutable", False)),
    )


def _first_of_chain(result):
    while result.parent is not None:
        result = result.parent
    return result


def _publish(app, call):
    kind = call.get("kind", "task")
    options = _options(call.get("options"))
    if kind == "task":
        args = typed_json.decode(call.get("args", []))
        kwargs = typed_json.decode(call.get("kwargs", {}))
        if call["task"] in app.tasks:
            result = app.tasks[call["task"]].apply_async(args, kwargs, **options)
        else:
            result = app.send_task(call["task"], args=args, kwargs=kwargs, **options)
        return result.id, [result.id], None
    if kind == "chain":
        result = chain(*[_signature(s) for s in call["tasks"]]).apply_async(**options)
        first = _first_of_chain(result)
        return result.id, [first.id], None
    if kind == "group":
        result = group(*[_signature(s) for s in call["tasks"]]).apply_async(**options)
        return result.id, [r.id for r in result.results], result.id
    if kind == "chord":
        body = _signature(call["body"])
        result = chord([_signature(s) for s in call["tasks"]], body).apply_async(**options)
        header = result.parent
        return result.id, [r.id for r in header.results], header.id
    raise ValueError("unknown call kind " + repr(kind))


def main():
    spec = json.load(sys.stdin)
    app = celery_pgmq_testapp.make_app(dict(spec.get("config", {})))
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=3)
    for index, call in enumerate(spec["calls"]):
        line = {"index": index, "kind": call.get("kind", "task")}
        line["before"] = time.time()
        try:
            task_id, published, group_id = _publish(app, call)
            line.update(task_id=task_id, published_ids=published, group_id=group_id, error=None)
        except Exception as e:  # reported per call: one bad call must not hide the others
            line.update(task_id=None, published_ids=[], group_id=None,
                        error="%s: %s" % (type(e).__name__, e))
        line["after"] = time.time()
        print(json.dumps(line), flush=True)
    app.close()


if __name__ == "__main__":
    main()
