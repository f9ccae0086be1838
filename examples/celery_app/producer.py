"""Publishes a steady mix of the sample app's tasks with real Celery (`.delay` / `.apply_async`), like the web app
would: mostly welcome emails, now and then a cleanup, a report (some with a countdown, so ETAs are part of the
traffic) and, every PRODUCER_BOUNCE_EVERY-th email, an address that bounces (so the DLQ rate is not trivially 0).

  python producer.py                       # forever, 5 tasks/s
  python producer.py --count 200 --rate 50 # a fixed batch, then exit

Settings: CELERY_BROKER_URL (see tasks.py), PRODUCER_RATE, PRODUCER_COUNT, PRODUCER_BOUNCE_EVERY.
"""

import argparse
import itertools
import os
import time

import tasks


def publish(i, emails_so_far, bounce_every):
    """Publishes the i-th task of the mix and returns its task name."""
    if i % 20 == 19:
        tasks.cleanup_inactive_users.delay(days=90)
        return "cleanup_inactive_users"
    if i % 10 == 9:
        countdown = 30 if i % 30 == 29 else 0
        tasks.generate_user_report.apply_async(args=[1000 + i], kwargs={"fmt": "pdf"}, countdown=countdown)
        return "generate_user_report"
    bounce = bounce_every and emails_so_far % bounce_every == bounce_every - 1
    prefix = "bounce" if bounce else "user"
    tasks.send_welcome_email.delay("%s%d@example.com" % (prefix, i), "User %d" % i)
    return "send_welcome_email"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=float(os.environ.get("PRODUCER_RATE", "5")),
                        help="tasks per second (default 5)")
    parser.add_argument("--count", type=int, default=int(os.environ.get("PRODUCER_COUNT", "0")),
                        help="stop after this many tasks (0: run until stopped)")
    parser.add_argument("--bounce-every", type=int, default=int(os.environ.get("PRODUCER_BOUNCE_EVERY", "250")),
                        help="every N-th welcome email bounces (0: never)")
    args = parser.parse_args()

    counts = {}
    pause = 1.0 / args.rate if args.rate > 0 else 0
    numbers = range(args.count) if args.count > 0 else itertools.count()
    for i in numbers:
        name = publish(i, counts.get("send_welcome_email", 0), args.bounce_every)
        counts[name] = counts.get(name, 0) + 1
        if (i + 1) % 100 == 0:
            print("published %d tasks: %s" % (i + 1, counts), flush=True)
        time.sleep(pause)
    print("published %d tasks: %s" % (sum(counts.values()), counts), flush=True)


if __name__ == "__main__":
    main()
