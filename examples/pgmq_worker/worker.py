"""The sample pgmq worker: the seeds' hand-written consumer, done the way celery-pgmq can verify it.

It reads pgmq queues with psycopg, runs the task, and then
  - archives the message on success (pgmq.archive: the archive is what proves "zero message loss"),
  - on failure makes it visible again after a short backoff (pgmq.set_vt), and after PGMQ_MAX_RETRIES reads
    dead-letters it: the message goes to <queue>_dlq with headers naming where it came from (original_queue,
    original_msg_id, error, and the bridge's x-celery-identity), and leaves the queue in the same transaction.
These are the keys `celery-pgmq verify` looks for (verify.dlq.* settings), so dead-lettered copies count as
DEAD_LETTERED, not MISSING.

Payloads: the bridge's `task` format ({"task", "id", "args", "kwargs", ...}) and the seeds' `template` shape
({"task": "send_welcome_email", "email": ..., "username": ...}) both work. Queues named *_shadow carry shadow
copies: the task runs without side effects, and its outcome is recorded the same way, for the shadow comparison.

Settings (environment):
  DATABASE_URL or CELERY_PGMQ_DATABASE_URL   postgresql://user:password@host:5432/db
  PGMQ_QUEUES        comma separated (default user_tasks,user_tasks_shadow)
  PGMQ_VT            seconds a read message stays invisible (default 30)
  PGMQ_MAX_RETRIES   reads before dead-lettering (default 3, as in the seeds)
  PGMQ_BATCH         messages per read (default 10)
  PGMQ_IDLE_SECONDS  sleep when every queue is empty (default 1)

  python worker.py
"""

import json
import os
import signal
import sys
import time

try:
    import psycopg  # psycopg 3, what the sample image installs
except ImportError:  # Debian's python3-psycopg2 has the same connect/execute API for what is used here
    import psycopg2 as psycopg

SHADOW_SUFFIX = "_shadow"
DLQ_SUFFIX = "_dlq"
IDENTITY_HEADER = "x-celery-identity"


class Bounce(Exception):
    pass


class Unsupported(Exception):
    """A payload this worker cannot run at all: dead-lettered at once, retrying cannot help."""


def send_welcome_email(email, username, dry_run=False):
    if email.startswith("bounce"):
        raise Bounce("mailbox unavailable: " + email)
    if not dry_run:
        time.sleep(0.01)  # stands in for the SMTP round trip
    return {"status": "sent", "email": email, "username": username}


def cleanup_inactive_users(days=90, dry_run=False):
    return {"status": "done", "days": days, "removed": 0}


def generate_user_report(user_id, fmt="pdf", dry_run=False):
    return {"status": "generated", "user_id": user_id, "format": fmt}


HANDLERS = {
    "send_welcome_email": send_welcome_email,
    "cleanup_inactive_users": cleanup_inactive_users,
    "generate_user_report": generate_user_report,
}


def run_task(payload, dry_run):
    """Calls the handler named by the payload, whichever of the two payload shapes it has."""
    if not isinstance(payload, dict) or "task" not in payload:
        raise Unsupported("no 'task' in payload (a kombu envelope is for Celery workers on kombu-pgmq)")
    handler = HANDLERS.get(payload["task"])
    if handler is None:
        raise Unsupported("unknown task " + str(payload["task"]))
    if "args" in payload or "kwargs" in payload:  # celery-pgmq's `task` format
        return handler(*(payload.get("args") or []), dry_run=dry_run, **(payload.get("kwargs") or {}))
    fields = {k: v for k, v in payload.items() if k != "task"}  # the seeds' `template` shape
    return handler(dry_run=dry_run, **fields)


def as_dict(value):
    if value is None:
        return {}
    return value if isinstance(value, dict) else json.loads(value)


class Worker:
    def __init__(self, conn, queues, vt, max_retries, batch):
        self.conn = conn
        self.queues = queues
        self.vt = vt
        self.max_retries = max_retries
        self.batch = batch
        self.stopping = False

    def prepare(self):
        """Creates the queues and their DLQs if missing (pgmq.create is idempotent)."""
        with self.conn.cursor() as cur:
            for queue in self.queues:
                for name in (queue, queue + DLQ_SUFFIX):
                    cur.execute("SELECT pgmq.create(%s::text)", (name,))
        self.conn.commit()

    def poll_once(self):
        """Reads and handles one batch from each queue; returns how many messages it handled."""
        handled = 0
        for queue in self.queues:
            for message in self.read(queue):
                self.handle(queue, message)
                handled += 1
                if self.stopping:
                    return handled
        return handled

    def read(self, queue):
        with self.conn.cursor() as cur:
            # Named arguments and columns by name: pgmq's overloads and column order changed across versions.
            cur.execute(
                "SELECT * FROM pgmq.read(queue_name => %s::text, vt => %s::integer, qty => %s::integer)",
                (queue, self.vt, self.batch),
            )
            names = [c[0] for c in cur.description]
            rows = [dict(zip(names, row)) for row in cur.fetchall()]
        self.conn.commit()
        return rows

    def handle(self, queue, message):
        msg_id, payload = message["msg_id"], as_dict(message["message"])
        shadow = queue.endswith(SHADOW_SUFFIX)
        try:
            run_task(payload, dry_run=shadow)
        except Unsupported as e:
            self.dead_letter(queue, message, "%s: %s" % (type(e).__name__, e))
            return
        except Exception as e:  # the task failed: retry later, or dead-letter after the last try
            if message["read_ct"] >= self.max_retries:
                self.dead_letter(queue, message, "%s: %s" % (type(e).__name__, e))
            else:
                self.retry_later(queue, msg_id, message["read_ct"])
            return
        with self.conn.cursor() as cur:
            cur.execute("SELECT pgmq.archive(queue_name => %s::text, msg_id => %s::bigint)", (queue, msg_id))
        self.conn.commit()
        print("archived %s#%d %s%s" % (queue, msg_id, payload.get("task"), " (shadow)" if shadow else ""), flush=True)

    def retry_later(self, queue, msg_id, read_ct):
        backoff = min(2 ** read_ct, self.vt)
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT msg_id FROM pgmq.set_vt(queue_name => %s::text, msg_id => %s::bigint, vt => %s::integer)",
                (queue, msg_id, backoff),
            )
        self.conn.commit()
        print("retry %s#%d in %ds (read %d times)" % (queue, msg_id, backoff, read_ct), flush=True)

    def dead_letter(self, queue, message, error):
        headers = {
            "original_queue": queue,
            "original_msg_id": str(message["msg_id"]),
            "error": error[:500],
        }
        identity = as_dict(message.get("headers")).get(IDENTITY_HEADER)
        if identity is not None:
            headers[IDENTITY_HEADER] = identity
        body = message["message"]
        body = body if isinstance(body, str) else json.dumps(body)
        with self.conn.cursor() as cur:  # one transaction: the message is in exactly one of the two queues
            cur.execute(
                "SELECT * FROM pgmq.send(queue_name => %s::text, msg => %s::jsonb, headers => %s::jsonb)",
                (queue + DLQ_SUFFIX, body, json.dumps(headers)),
            )
            cur.execute("SELECT pgmq.delete(queue_name => %s::text, msg_id => %s::bigint)", (queue, message["msg_id"]))
        self.conn.commit()
        print("dead-lettered %s#%d to %s%s: %s" % (queue, message["msg_id"], queue, DLQ_SUFFIX, error), flush=True)


def main():
    url = os.environ.get("DATABASE_URL") or os.environ.get("CELERY_PGMQ_DATABASE_URL")
    if not url:
        sys.exit("set DATABASE_URL (or CELERY_PGMQ_DATABASE_URL) to postgresql://user:password@host:5432/db")
    queues = [q.strip() for q in os.environ.get("PGMQ_QUEUES", "user_tasks,user_tasks_shadow").split(",") if q.strip()]
    idle = float(os.environ.get("PGMQ_IDLE_SECONDS", "1"))
    conn = psycopg.connect(url)
    worker = Worker(
        conn,
        queues,
        vt=int(os.environ.get("PGMQ_VT", "30")),
        max_retries=int(os.environ.get("PGMQ_MAX_RETRIES", "3")),
        batch=int(os.environ.get("PGMQ_BATCH", "10")),
    )

    def stop(signum, frame):
        worker.stopping = True  # finish the message in hand; unread ones stay in pgmq

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.prepare()
    print("pgmq worker reading %s" % ", ".join(queues), flush=True)
    while not worker.stopping:
        if worker.poll_once() == 0:
            time.sleep(idle)
    conn.close()
    print("pgmq worker stopped", flush=True)


if __name__ == "__main__":
    main()
