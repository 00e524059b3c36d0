"""Produces and then consumes in a group with Debian's python3-kafka (kafka-python), printing one
JSON document with what it produced and consumed. Run with /usr/bin/python3.

usage: roundtrip.py <bootstrap> <topic> <group> <count>
"""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', linger_ms=5)
futures = []
for i in range(count):
    futures.append(
        producer.send(
            topic,
            key=('key-%d' % i).encode(),
            value=('python %d' % i).encode(),
            headers=[('origin', b'python'), ('n', str(i).encode())],
        )
    )
produced = []
for f in futures:
    meta = f.get(timeout=30)
    produced.append([meta.partition, meta.offset])
producer.flush()
producer.close()

consumer = KafkaConsumer(
    topic,
    bootstrap_servers=bootstrap,
    group_id=group,
    auto_offset_reset='earliest',
    enable_auto_commit=False,
    consumer_timeout_ms=1000,
    session_timeout_ms=10000,
    heartbeat_interval_ms=1000,
)
consumed = []
deadline = time.time() + 60
while len(consumed) < count and time.time() < deadline:
    for message in consumer:
        consumed.append({
            'partition': message.partition,
            'offset': message.offset,
            'key': message.key.decode(),
            'value': message.value.decode(),
            'headers': [[k, v.decode()] for k, v in message.headers],
        })
        if len(consumed) >= count:
            break
consumer.commit()
committed = {str(p): consumer.committed(TopicPartition(topic, p)) for p in sorted(consumer.partitions_for_topic(topic))}
consumer.close()

print(json.dumps({'produced': produced, 'consumed': consumed, 'committed': committed}))
