import { type OrderRow, ordersView } from '../../examples/shop/views/ordersView.js';
import {
  type OrderWithInvoiceRow,
  ordersWithInvoicesView,
} from '../../examples/shop/views/ordersWithInvoicesView.js';
import { type ProductRow, productsView } from '../../examples/shop/views/productsView.js';
import type { KesClient } from './kesClient.js';
import { pool } from './pool.js';
import { replayView } from './replayView.js';
import type { TopicEvent } from './topicEvents.js';

/** Every row of the views (and of each customer's index value), in key order as pages list them. */
export interface ViewContents {
  readonly products: ProductRow[];
  readonly orders: OrderRow[];
  readonly joined: OrderWithInvoiceRow[];
  readonly byCustomer: Record<string, OrderWithInvoiceRow[]>;
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : 1;

/** What the views must hold after these events: a replay through their own `evolve`, as JSON. */
export function expectedViewContents(events: readonly TopicEvent[]): ViewContents {
  const all = events.map((e) => e.event);
  const joined = replayView(ordersWithInvoicesView, all).sort(byKey((r) => r.orderId));
  const byCustomer: Record<string, OrderWithInvoiceRow[]> = {};
  for (const row of joined) (byCustomer[row.customerId!] ??= []).push(row);
  return json({
    products: replayView(productsView, all).sort(byKey((r) => r.productId)),
    orders: replayView(ordersView, all).sort(byKey((r) => r.orderId)),
    joined,
    byCustomer,
  });
}

/** The views as instance `at` serves them, page by page (small pages, crossing partitions). */
export async function servedViewContents(
  client: KesClient,
  at: number,
  customers: readonly string[],
): Promise<ViewContents> {
  const byCustomer: Record<string, OrderWithInvoiceRow[]> = {};
  await pool(customers, 5, async (c) => {
    const rows = await client.all<OrderWithInvoiceRow>(
      `/views/orders-with-invoices?customerId=${c}&limit=4`,
      { at },
    );
    if (rows.length > 0) byCustomer[c] = rows;
  });
  return {
    products: await client.all<ProductRow>('/views/products?limit=7', { at }),
    orders: await client.all<OrderRow>('/views/orders?limit=45', { at }),
    joined: await client.all<OrderWithInvoiceRow>('/views/orders-with-invoices?limit=45', { at }),
    byCustomer,
  };
}
