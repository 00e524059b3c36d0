import type { Kafka } from 'kafkajs';
import { CloudEventHeaders as H } from '../../src/commands/cloudEvents.js';
import type { DomainName } from '../../src/domain/domainRecord.js';
import type { Serde } from '../../src/serde/serde.js';
import type { ViewEvent } from '../../src/views/viewEvent.js';
import { readTopic } from './readTopic.js';

/** An event of the events topics as a view sees it, with what its history shows. */
export interface TopicEvent {
  readonly event: ViewEvent;
  readonly id: string;
  readonly time: string;
  readonly position: string;
}

const ORDER_DOMAIN_TOPICS = ['stock.events', 'orders.events', 'invoices.events'];

/**
 * Every event of the events topics (read_committed), decoded from the records' values and
 * CloudEvents headers by the test itself — an oracle for what the views and histories serve —
 * topic by topic (stock, orders, invoices by default), in partition and offset order.
 */
export async function topicEvents(
  kafka: Kafka,
  serde: Serde,
  topics: readonly string[] = ORDER_DOMAIN_TOPICS,
): Promise<TopicEvent[]> {
  const records = await Promise.all(topics.map((topic) => readTopic(kafka, topic, { timeoutMs: 120_000 })));
  const out: TopicEvent[] = [];
  for (const [i, topic] of topics.entries()) {
    for (const { partition, message } of records[i]!) {
      const header = (name: string) => message.headers?.[name]?.toString();
      const decoded = await serde.decode(message.value!);
      const [, domain, type] = decoded.type.split('.') as [string, DomainName, string];
      const time = header(H.time)!;
      const aggregateId = header(H.subject) ?? message.key!.toString();
      const sequence = Number(header(H.sequence));
      const event: ViewEvent = {
        domain,
        type,
        aggregateId,
        sequence,
        time: Date.parse(time),
        data: decoded.value,
      };
      out.push({ event, id: header(H.id)!, time, position: `${topic}:${partition}:${message.offset}` });
    }
  }
  return out;
}
