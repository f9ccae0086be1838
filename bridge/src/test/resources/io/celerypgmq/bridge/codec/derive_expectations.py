#!/usr/bin/env python3
"""Derive what each corpus message must decode to from the Python call in its sidecar.

The call is executed against recording stand-ins for Celery's task API (nothing is published), so the expected
args, kwargs and call options are the values Python itself builds from the literal call, not anything a decoder
printed. Values are written in the codec's natural JSON form (bytes -> base64, tuple -> list, datetime -> kombu 5.2
ISO text). Run from the repository root:
    python3 bridge/src/test/resources/io/celerypgmq/bridge/codec/derive_expectations.py \
        bridge/src/test/resources/celery-corpus \
        > bridge/src/test/resources/io/celerypgmq/bridge/codec/corpus-expectations.json
"""
import base64, decimal, glob, json, os, sys, uuid
from datetime import datetime, date, time, timezone, timedelta


def natural(o):
    if isinstance(o, (bytes, bytearray)):
        return base64.b64encode(bytes(o)).decode()
    if isinstance(o, datetime):
        r = o.isoformat()
        return r[:-6] + 'Z' if r.endswith('+00:00') else r
    if isinstance(o, date):
        return datetime(o.year, o.month, o.day).isoformat()
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    if isinstance(o, Sig):
        return o.as_dict()
    raise TypeError(type(o))


def plain(o):
    return json.loads(json.dumps(o, default=natural))


class Sig:
    def __init__(self, task, args, kwargs, immutable=False):
        self.task, self.args, self.kwargs, self.immutable = task, list(args), dict(kwargs), immutable

    def as_dict(self):
        return {'task': self.task, 'args': self.args, 'kwargs': self.kwargs, 'immutable': self.immutable}

    def apply_async(self, **options):
        return Calls.record(self.task, self.args, self.kwargs, options)


class Calls:
    made = []

    @classmethod
    def record(cls, task, args, kwargs, options, chain=None):
        cls.made.append({'task': task, 'args': list(args or ()), 'kwargs': dict(kwargs or {}),
                         'args_is_tuple': isinstance(args, tuple), 'options': options, 'chain': chain})


class Task:
    def __init__(self, name):
        self.name = name

    def delay(self, *args, **kwargs):
        return Calls.record(self.name, args, kwargs, {})

    def apply_async(self, args=None, kwargs=None, **options):
        return Calls.record(self.name, args if args is not None else (), kwargs, options)

    def s(self, *args, **kwargs):
        return Sig(self.name, args, kwargs)

    def si(self, *args, **kwargs):
        return Sig(self.name, args, kwargs, immutable=True)


class Chain:
    def __init__(self, *sigs):
        self.sigs = sigs

    def apply_async(self, **options):
        first, rest = self.sigs[0], self.sigs[1:]
        Calls.record(first.task, tuple(first.args), first.kwargs, options, chain=list(reversed(rest)))


class Group:
    def __init__(self, sigs):
        self.sigs = list(sigs)

    def apply_async(self, **options):
        for sig in self.sigs:
            Calls.record(sig.task, tuple(sig.args), sig.kwargs, dict(options, group=True))


class _Ctx:
    default_channel = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class App:
    class amqp:
        queues = {}

    def send_task(self, name, args=None, kwargs=None, **options):
        return Calls.record(name, args if args is not None else (), kwargs, options)

    def connection_for_write(self):
        return _Ctx()


def main(corpus):
    out = {}
    for path in sorted(glob.glob(os.path.join(corpus, '*.json'))):
        side = json.load(open(path))
        case = os.path.basename(path)[:-len('.json')]
        if not side.get('python_call') or case.startswith(('hb_', 'result_')) or path.endswith('.nomsg.json'):
            continue
        Calls.made = []
        env = {'add': Task('tasks.add'), 'echo': Task('tasks.echo'), 'retry_me': Task('tasks.retry_me'),
               'app': App(), 'chain': Chain, 'group': Group, 'datetime': datetime, 'timezone': timezone,
               'timedelta': timedelta, 'Decimal': decimal.Decimal, 'uuid': uuid}
        exec(side['python_call'], env)
        index = int(case.rsplit('.', 1)[1]) if '.' in case else 0
        call = Calls.made[index]
        out[case] = plain({'call': call, 'conf': side.get('celery_conf_overrides') or {},
                           'found_in_key': side['found_in_key'], 'group_size': len(Calls.made)})
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
