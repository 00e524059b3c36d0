import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplicationBuilder } from '../src/index.js';
import { addLedger } from '../examples/ledger/ledger.js';
import { addShop } from '../examples/shop/shop.js';
import { orderPlacedV1 } from '../examples/shop/orders/orderUpcasters.js';

/** schemas/ at the repository root, above this file in the sources (topology/) and the build (dist/topology/). */
function schemasDir(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas', 'stock'))) return path.join(dir, 'schemas');
  }
  throw new Error(`no schemas/ above ${from}`);
}

/** Partitions of every topic of the example application (co-partitioned). */
export const PARTITIONS = 6;

/**
 * The example application `npm start` runs: the shop (examples/shop) and the bank ledger
 * (examples/ledger) in one application, with their schemas in schemas/. Its topology is derived
 * from their definitions (`kes topology describe`).
 */
export const application = addLedger(
  addShop(
    new ApplicationBuilder({
      name: 'kes',
      partitions: PARTITIONS,
      replicationFactor: 3,
      schemas: schemasDir(import.meta.dirname),
      upcasters: [orderPlacedV1],
      access: {
        commands: {
          PlaceOrder: { customerField: 'customerId' },
          CancelOrder: { owned: { domain: 'orders', idField: 'orderId' } },
        },
        views: {
          products: { rows: 'all', list: 'all' },
          orders: { rows: 'own' },
          'orders-with-invoices': { rows: 'own', list: 'own' },
        },
      },
    }),
  ),
).build();
