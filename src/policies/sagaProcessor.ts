import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { CommandSender } from '../commands/commandSender.js';
import type { RoutedCommand } from '../domain/routedCommand.js';
import type { Saga } from '../domain/saga.js';
import type { KesRecord } from '../processor/kesRecord.js';
import type { Processor, ProcessorContext } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';

export interface SagaProcessorOptions {
  readonly serde: Serde;
  readonly sender: CommandSender;
  /** The saga's state store; default `<saga name>-state`. */
  readonly store?: string;
  readonly now?: () => number;
}

/**
 * Runs a saga (a pure process manager) as a stream processor: each event it handles is folded
 * into the instance's state, kept in a store (logged to its changelog), and the commands the saga
 * decides are sent in the same transaction as the state and the input offset. Command ids come
 * from the saga, deterministic, so a re-run after a crash is dropped by the command handlers.
 */
export function sagaProcessor<E extends { type: string }, S>(
  saga: Saga<E, S>,
  options: SagaProcessorOptions,
): Processor {
  const storeName = options.store ?? `${saga.name}-state`;
  const now = options.now ?? Date.now;
  return {
    name: saga.name,
    async process(record, context) {
      const event = await decodeEvent<E>(options.serde, record, saga.eventTypes);
      if (!event) return;
      const key = saga.keyOf(event);
      const store = context.store(storeName);
      const stored = await store.get(key);
      const state = stored ? (JSON.parse(stored.toString('utf8')) as S) : saga.initialState();
      const reaction = saga.react(state, event, { now: now() });
      store.put(key, Buffer.from(JSON.stringify(reaction.state), 'utf8'));
      await sendCommands(options.sender, reaction.commands, record, saga.name, context);
    },
  };
}

/** The record's event if it is one of `types` (short names), else undefined. */
export async function decodeEvent<E extends { type: string }>(
  serde: Serde,
  record: KesRecord,
  types: readonly string[],
): Promise<E | undefined> {
  if (record.value === null) return undefined;
  // Events carry their type in ce_type: those of other types need no decoding.
  const header = record.headers[CloudEventHeaders.type];
  if (header !== undefined && !types.includes(header.slice(header.lastIndexOf('.') + 1))) return undefined;
  const decoded = await serde.decode(record.value);
  const type = decoded.type.slice(decoded.type.lastIndexOf('.') + 1);
  if (!types.includes(type)) return undefined;
  return { type, data: decoded.value } as unknown as E;
}

/** Forwards commands a policy decided, caused by `record` (correlation carried over). */
export async function sendCommands(
  sender: CommandSender,
  commands: readonly RoutedCommand[],
  record: KesRecord,
  source: string,
  context: Pick<ProcessorContext, 'forward'>,
): Promise<void> {
  const H = CloudEventHeaders;
  for (const routed of commands) {
    const prepared = await sender.prepare({
      type: routed.command.type,
      data: routed.command.data,
      commandId: routed.commandId,
      source: `/${source}`,
      ...(record.headers[H.correlationId] ? { correlationId: record.headers[H.correlationId] } : {}),
      ...(record.headers[H.id] ? { causationId: record.headers[H.id] } : {}),
    });
    if (prepared.aggregateId !== routed.aggregateId) {
      throw new Error(
        `${routed.command.type} addresses ${prepared.aggregateId}, routed to ${routed.aggregateId}`,
      );
    }
    context.forward(prepared.record);
  }
}
