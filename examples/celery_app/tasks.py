"""The sample Celery app: the seeds' three task types, exactly as a team has them before the migration.

Broker and result backend come from the environment, so the same file runs in docker-compose and on a laptop:
  CELERY_BROKER_URL      (default redis://127.0.0.1:6379/0)
  CELERY_RESULT_BACKEND  (default: the broker) - `celery-pgmq verify` compares shadow copies with these results.

Run a worker on the list the bridge feeds (config/celery-pgmq.yml: celery -> bridge -> celery_workers):
  celery -A tasks worker -Q celery_workers --loglevel=INFO
"""

import logging
import os
import time

from celery import Celery

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

app = Celery("tasks", broker=BROKER_URL, backend=os.environ.get("CELERY_RESULT_BACKEND", BROKER_URL))
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    timezone="UTC",
    enable_utc=True,
    # Results must outlive the shadow phase: the verifier reads them to compare Celery with pgmq.
    result_expires=7 * 24 * 3600,
    broker_connection_retry_on_startup=True,
)

log = logging.getLogger(__name__)


class Bounce(Exception):
    """The mail server refused the address; Celery records FAILURE, the pgmq worker dead-letters it."""


def deliver_welcome_email(email, username):
    """The task's real work, shared with the pgmq worker so both sides behave the same."""
    if email.startswith("bounce"):
        raise Bounce("mailbox unavailable: " + email)
    time.sleep(0.01)  # stands in for the SMTP round trip
    return {"status": "sent", "email": email, "username": username}


@app.task(name="send_welcome_email")
def send_welcome_email(email, username):
    result = deliver_welcome_email(email, username)
    log.info("welcome email sent to %s (%s)", email, username)
    return result


@app.task(name="cleanup_inactive_users")
def cleanup_inactive_users(days=90):
    log.info("removing users inactive for %d days", days)
    return {"status": "done", "days": days, "removed": 0}


@app.task(name="generate_user_report")
def generate_user_report(user_id, fmt="pdf"):
    log.info("report for user %s as %s", user_id, fmt)
    return {"status": "generated", "user_id": user_id, "format": fmt}
