"""Publishes given kombu envelopes through kombu's own pgmq transport (kombu 5.7), as its producer would.

stdin: {"broker": "pgmq://...", "transport_options": {...}, "queue": "<celery queue>", "envelopes": [envelope, ...]}
where each envelope is a kombu message as a Celery producer left it in Redis. Each goes through the transport's
public publishing path (Channel.basic_publish: body encoding, delivery info, then the pgmq send), with its body
decoded first and its delivery tag kept, so the row kombu writes is the row for that very publish.
stdout: one line per envelope, the pgmq queue kombu wrote to.
"""

import base64
import json
import sys

from kombu import Connection


def main():
    spec = json.load(sys.stdin)
    with Connection(spec["broker"], transport_options=spec.get("transport_options") or {}) as conn:
        channel = conn.default_channel
        queue = spec["queue"]
        channel._new_queue(queue)
        for envelope in spec["envelopes"]:
            message = dict(envelope)
            properties = dict(message["properties"])
            properties["delivery_info"] = dict(properties.get("delivery_info") or {})
            tag = properties.pop("delivery_tag")
            if properties.pop("body_encoding", None) == "base64":
                message["body"] = base64.b64decode(message["body"])
            message["properties"] = properties
            channel._next_delivery_tag = lambda tag=tag: tag
            channel.basic_publish(message, exchange="", routing_key=queue)
            print(channel._queue_name(queue), flush=True)


if __name__ == "__main__":
    main()
