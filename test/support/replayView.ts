import type { ViewDefinition, ViewEvent } from '../../src/views/viewEvent.js';

/**
 * A view replayed without a broker: every event of its types through its own `evolve`, in the
 * order given; the rows queries show.
 */
export function replayView<Row>(view: ViewDefinition<Row>, events: readonly ViewEvent[]): Row[] {
  const types = new Set(view.eventTypes);
  const rows = new Map<string, Row>();
  for (const event of events) {
    if (!types.has(`kes.${event.domain}.${event.type}`)) continue;
    const key = view.keyOf ? view.keyOf(event) : event.aggregateId;
    if (key === undefined) continue;
    const row = view.evolve(rows.get(key), event);
    if (row === undefined) rows.delete(key);
    else rows.set(key, row);
  }
  return [...rows.values()].filter((row) => view.isVisible?.(row) ?? true);
}
