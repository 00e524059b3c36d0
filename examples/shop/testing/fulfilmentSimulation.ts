import type { Decider } from '../../../src/index.js';
import { deciders } from '../../domainCatalog.js';
import type { FulfilmentEvent } from '../fulfilment/fulfilmentEvent.js';
import { orderFulfilment } from '../fulfilment/orderFulfilment.js';
import type { FulfilmentState } from '../fulfilment/fulfilmentState.js';
import { invoiceFor } from '../invoicing/invoiceFor.js';
import type { OrderEvent } from '../orders/orderEvents.js';
import type { RoutedCommand } from '../../routedCommand.js';
import type { StockEvent } from '../stock/stockEvents.js';
import type { SeededRandom } from '../../../src/testing/index.js';

type Message =
  | { readonly to: 'handler'; readonly routed: RoutedCommand }
  | { readonly to: 'saga'; readonly event: FulfilmentEvent }
  | { readonly to: 'invoicing'; readonly event: OrderEvent };

type AnyDecider = Decider<{ type: string }, { type: string }, unknown>;

/**
 * The reference domain run in memory, without Kafka but with what Kafka guarantees and what it
 * does not: messages of one key on one topic arrive in order (a FIFO per channel), channels
 * interleave at random, and any message may be delivered again (at-least-once). The command
 * handlers drop a command id they have seen, as the runtime does.
 */
export class FulfilmentSimulation {
  readonly aggregates = new Map<string, unknown>();
  readonly sagas = new Map<string, FulfilmentState>();
  readonly rejections: { commandId: string; code: string }[] = [];
  /** Every event appended, in the order appended. */
  readonly events: { domain: RoutedCommand['domain']; aggregateId: string; event: { type: string } }[] = [];
  private readonly channels = new Map<string, Message[]>();
  private readonly seenCommandIds = new Map<string, Set<string>>();
  private clock = Date.UTC(2025, 0, 1);

  constructor(
    private readonly random: SeededRandom,
    private readonly duplicateRate: number,
  ) {}

  /** Queues a client's command behind the earlier ones of its aggregate. */
  send(routed: RoutedCommand, channel = `${routed.domain}.commands/${routed.aggregateId}`): void {
    this.push(channel, { to: 'handler', routed });
  }

  /** The state of an aggregate, e.g. `state('stock', 'P-1')`. */
  state(domain: RoutedCommand['domain'], aggregateId: string): unknown {
    return this.aggregates.get(`${domain}/${aggregateId}`) ?? deciders[domain].initialState();
  }

  /** Delivers messages, one channel head at a time, until none is left; returns how many. */
  run(limit = 100_000): number {
    let delivered = 0;
    for (;;) {
      const busy = [...this.channels].filter(([, queue]) => queue.length > 0);
      if (busy.length === 0) return delivered;
      if (++delivered > limit) throw new Error('the simulation does not settle');
      const [, queue] = this.random.pick(busy);
      const message = this.random.next() < this.duplicateRate ? queue[0] : queue.shift();
      if (message) this.deliver(message);
    }
  }

  private push(channel: string, message: Message): void {
    const queue = this.channels.get(channel) ?? [];
    queue.push(message);
    this.channels.set(channel, queue);
  }

  private deliver(message: Message): void {
    this.clock += 1;
    const context = { now: this.clock };
    switch (message.to) {
      case 'handler':
        return this.handle(message.routed);
      case 'saga': {
        const key = orderFulfilment.keyOf(message.event);
        const reaction = orderFulfilment.react(
          this.sagas.get(key) ?? orderFulfilment.initialState(),
          message.event,
          context,
        );
        this.sagas.set(key, reaction.state);
        for (const routed of reaction.commands) this.send(routed);
        return;
      }
      case 'invoicing':
        if (message.event.type === 'OrderConfirmed') {
          this.send(invoiceFor(message.event, { invoiceBaseUrl: 'https://invoices.example' }));
        }
        return;
    }
  }

  private handle({ domain, aggregateId, commandId, command }: RoutedCommand): void {
    const key = `${domain}/${aggregateId}`;
    const seen = this.seenCommandIds.get(key) ?? new Set<string>();
    this.seenCommandIds.set(key, seen);
    if (seen.has(commandId)) return;
    seen.add(commandId);
    const decider = deciders[domain] as unknown as AnyDecider;
    const state = this.state(domain, aggregateId);
    const decision = decider.decide(command, state, { now: this.clock });
    if (decision.kind === 'rejected') {
      this.rejections.push({ commandId, code: decision.code });
      return;
    }
    this.aggregates.set(key, decision.events.reduce(decider.evolve, state));
    for (const event of decision.events) {
      this.events.push({ domain, aggregateId, event });
      if (domain === 'orders') {
        const orderEvent = event as OrderEvent;
        this.push(`orders.events/${aggregateId}/saga`, { to: 'saga', event: orderEvent });
        this.push(`orders.events/${aggregateId}/invoicing`, { to: 'invoicing', event: orderEvent });
      }
      if (domain === 'stock') {
        const stockEvent = event as StockEvent;
        if (
          stockEvent.type === 'StockReserved' ||
          stockEvent.type === 'StockReservationRejected' ||
          stockEvent.type === 'StockReleased'
        ) {
          // re-keyed by order id, in the order of the product's events
          this.push(`stock.events/${aggregateId}/${stockEvent.data.orderId}`, {
            to: 'saga',
            event: stockEvent,
          });
        }
      }
    }
  }
}
