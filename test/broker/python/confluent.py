"""Exercises confluent-kafka (librdkafka) end to end, printing one JSON document: an idempotent
producer, a consumer group that commits, and a consume-transform-produce transaction that sends
the group's offsets with send_offsets_to_transaction. Run with the test virtualenv's python.

usage: confluent.py <bootstrap> <input> <output> <group> <count>
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

bootstrap, source, sink, group, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

delivered = []


def on_delivery(err, msg):
    if err is not None:
        raise KafkaException(err)
    delivered.append([msg.partition(), msg.offset()])


producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'linger.ms': 5})
for i in range(count):
    producer.produce(source, key=b'key-%d' % i, value=b'confluent %d' % i,
                     headers=[('origin', b'confluent'), ('n', str(i).encode())], on_delivery=on_delivery)
if producer.flush(30) != 0:
    raise SystemExit('messages left undelivered')


def consumer(group_id, isolation):
    return Consumer({
        'bootstrap.servers': bootstrap,
        'group.id': group_id,
        'auto.offset.reset': 'earliest',
        'enable.auto.commit': False,
        'isolation.level': isolation,
        'session.timeout.ms': 10000,
    })


def consume(c, wanted, seconds=60):
    out = []
    deadline = time.time() + seconds
    while len(out) < wanted and time.time() < deadline:
        msg = c.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            raise KafkaException(msg.error())
        out.append(msg)
    return out


# A group reads everything, commits synchronously, and reads its commits back.
reader = consumer(group, 'read_committed')
reader.subscribe([source])
consumed = consume(reader, count)
reader.commit(asynchronous=False)
partitions = sorted({m.partition() for m in consumed})
committed = {str(tp.partition): tp.offset for tp in reader.committed([TopicPartition(source, p) for p in partitions], timeout=10)}
reader.close()

# Consume-transform-produce: outputs and the input offsets in one transaction, committed; then
# one more transaction, aborted.
txn_group = group + '-txn'
transformer = consumer(txn_group, 'read_committed')
transformer.subscribe([source])
inputs = consume(transformer, count)
txn = Producer({'bootstrap.servers': bootstrap, 'transactional.id': group + '-tx', 'linger.ms': 5})
txn.init_transactions(30)
txn.begin_transaction()
for m in inputs:
    txn.produce(sink, key=m.key(), value=b'out ' + m.value())
ends = {}
for m in inputs:
    ends[m.partition()] = max(ends.get(m.partition(), 0), m.offset() + 1)
txn.send_offsets_to_transaction([TopicPartition(source, p, o) for p, o in ends.items()],
                                transformer.consumer_group_metadata(), 30)
txn.commit_transaction(30)
txn.begin_transaction()
txn.produce(sink, key=b'aborted', value=b'never seen')
txn.flush(30)
txn.abort_transaction(30)
txn_committed = {str(tp.partition): tp.offset for tp in transformer.committed(
    [TopicPartition(source, p) for p in sorted(ends)], timeout=10)}
transformer.close()

outputs = consumer(group + '-out', 'read_committed')
outputs.subscribe([sink])
seen = consume(outputs, count, 30)
# Anything past the committed outputs would be the aborted record.
extra = consume(outputs, 1, 3)
outputs.close()

print(json.dumps({
    'delivered': delivered,
    'consumed': [{'partition': m.partition(), 'offset': m.offset(), 'key': m.key().decode(),
                  'value': m.value().decode(),
                  'headers': [[k, v.decode()] for k, v in (m.headers() or [])]} for m in consumed],
    'committed': committed,
    'txnCommitted': txn_committed,
    'outputs': sorted(m.value().decode() for m in seen + extra),
}))
