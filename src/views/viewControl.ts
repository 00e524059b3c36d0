import { EventEmitter } from 'node:events';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import { stoppableConsumer } from '../kafka/stoppableConsumer.js';

/** Which generation of a view serves queries, and which one is being built beside it. */
export interface ViewState {
  readonly view: string;
  readonly active: number;
  readonly building: number | null;
  readonly updatedAt: string;
}

/** The compacted control topic of views: key = view name, value = its ViewState as JSON. */

export const initialViewState = (view: string): ViewState => ({
  view,
  active: 1,
  building: null,
  updatedAt: new Date(0).toISOString(),
});

/**
 * Follows the application's views topic (`<name>.views`): every instance reads it from the beginning (never committing, so a restart
 * reads it all again) and knows the generations of every view; `start` resolves once it has read
 * up to the end. Any instance may write a change (a rebuild requested, a switch).
 */
export class ViewControl extends EventEmitter<{ change: [ViewState] }> {
  private readonly states = new Map<string, ViewState>();
  private offset = -1n;

  private constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly topic: string,
  ) {
    super();
  }

  static async start(options: {
    kafka: Kafka;
    groupId: string;
    /** The application's views topic (runtimeTopics). */
    topic: string;
  }): Promise<ViewControl> {
    const { kafka, topic } = options;
    const consumer = stoppableConsumer(kafka, { groupId: options.groupId, maxWaitTimeInMs: 100 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const control = new ViewControl(consumer, producer, topic);
    const admin = kafka.admin();
    await admin.connect();
    let end: bigint;
    try {
      end = BigInt((await fetchTopicOffsets(admin, topic))[0]?.high ?? '0');
    } finally {
      await admin.disconnect();
    }
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        control.offset = BigInt(message.offset);
        if (message.key === null || message.value === null) return;
        const state = JSON.parse(message.value.toString('utf8')) as ViewState;
        control.states.set(state.view, state);
        control.emit('change', state);
      },
    });
    await control.until(() => control.offset >= end - 1n, 60_000, `${topic} was not read to its end`);
    return control;
  }

  state(view: string): ViewState {
    return this.states.get(view) ?? initialViewState(view);
  }

  /** Writes a view's new state and resolves once this instance has read it back. */
  async write(next: Omit<ViewState, 'updatedAt'>): Promise<ViewState> {
    const state: ViewState = { ...next, updatedAt: new Date().toISOString() };
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: state.view, value: JSON.stringify(state) }],
    });
    await this.until(
      () => this.state(state.view).updatedAt >= state.updatedAt,
      30_000,
      `${this.topic} write not read back`,
    );
    return this.state(state.view);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async until(done: () => boolean, timeoutMs: number, message: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(message);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
