"""The bridge a team might write by hand: pop a message from the Celery list, pgmq.send it, repeat.

One round trip to Redis and one auto-committed pgmq.send per message, no batching, no decoding (and not crash-safe:
a message popped but not yet sent is lost). Prints "<moved> <seconds>" measured inside the loop, so interpreter
start-up is not counted.
Usage: python_bridge.py <libpq dsn> <redis url> <source list> <pgmq queue>
"""
import sys
import time

import psycopg2
import redis

dsn, redis_url, source, queue = sys.argv[1:5]
r = redis.Redis.from_url(redis_url)
conn = psycopg2.connect(dsn)
conn.autocommit = True
cur = conn.cursor()
moved = 0
began = time.perf_counter()
while True:
    message = r.rpop(source)
    if message is None:
        break
    cur.execute("SELECT pgmq.send(%s, %s::jsonb)", (queue, message.decode("utf-8")))
    moved += 1
print(moved, time.perf_counter() - began)
