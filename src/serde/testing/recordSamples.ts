/**
 * A sample value of a record type of each domain (stock, orders, invoices, the command results),
 * as the processors write them: what the serde tests encode and decode against each registry.
 */
export const samples: [topic: string, type: string, value: Record<string, unknown>][] = [
  ['stock.commands', 'kes.stock.AddProduct', { productId: 'p-1', name: 'Lamp', initialStock: 5 }],
  [
    'stock.commands',
    'kes.stock.ReserveStock',
    { productId: 'p-1', quantity: 2, orderId: 'o-1', lineNumber: 0 },
  ],
  [
    'stock.events',
    'kes.stock.StockReservationRejected',
    {
      productId: 'p-2',
      requested: 9,
      orderId: 'o-1',
      lineNumber: 1,
      available: 3,
      reason: 'INSUFFICIENT_STOCK',
    },
  ],
  [
    'orders.commands',
    'kes.orders.PlaceOrder',
    {
      orderId: 'o-1',
      customerId: 'c-1',
      customerName: 'Ada',
      items: [{ productId: 'p-1', quantity: 2, unitPrice: 1250 }],
    },
  ],
  [
    'orders.events',
    'kes.orders.OrderShipped',
    { orderId: 'o-1', carrier: 'DHL', trackingCode: 'JD0001', shippedAt: 1717236000000 },
  ],
  [
    'invoices.commands',
    'kes.invoices.IssueInvoice',
    {
      invoiceId: 'inv-o-1',
      orderId: 'o-1',
      amount: 2500,
      currency: 'EUR',
      invoiceUrl: 'https://invoices.example/o-1.pdf',
    },
  ],
  [
    'kes.command-results',
    'kes.common.CommandResult',
    {
      commandId: 'cmd-1',
      commandType: 'kes.orders.PlaceOrder',
      aggregateId: 'o-1',
      status: 'ACCEPTED',
      version: 1,
      eventCount: 1,
      events: [{ type: 'kes.orders.OrderPlaced', id: 'e-1', sequence: 1 }],
      position: { topic: 'orders.events', partition: 3, offset: 42 },
      rejection: null,
      processedAt: 1717236000000,
    },
  ],
];
