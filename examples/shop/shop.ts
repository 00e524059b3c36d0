import type { ApplicationBuilder } from '../../src/index.js';
import { orderFulfilment } from './fulfilment/orderFulfilment.js';
import { invoiceDecider } from './invoices/invoiceDecider.js';
import { INVOICE_EVENT_TYPES } from './invoices/invoiceEvents.js';
import { INVOICE_REJECTIONS } from './invoices/invoiceRejections.js';
import { invoicing } from './invoicing/invoicingPolicy.js';
import { orderDecider } from './orders/orderDecider.js';
import { ORDER_REJECTIONS } from './orders/orderRejections.js';
import { stockDecider } from './stock/stockDecider.js';
import { STOCK_REJECTIONS } from './stock/stockRejections.js';
import { ordersView } from './views/ordersView.js';
import { ordersWithInvoicesView } from './views/ordersWithInvoicesView.js';
import { productsView } from './views/productsView.js';

/** Invoice events re-keyed by order id, for the order views (kept as long as the events). */
const invoicesByOrder = {
  name: 'invoices-by-order',
  domain: 'invoices',
  eventTypes: INVOICE_EVENT_TYPES,
  keyField: 'orderId',
  key: 'order id',
  description: 'invoice events re-keyed by order id',
} as const;

/**
 * The shop: stock, orders and invoices; the order fulfilment saga reserves stock line by line and
 * confirms or rejects the order, the invoicing policy invoices confirmed orders; the views of
 * products and orders.
 */
export function addShop(app: ApplicationBuilder): ApplicationBuilder {
  return app
    .aggregate(stockDecider, {
      key: 'product id',
      rejections: STOCK_REJECTIONS,
      publicCommands: ['AddProduct', 'IncreaseStock', 'DecreaseStock'],
    })
    .aggregate(orderDecider, {
      key: 'order id',
      rejections: ORDER_REJECTIONS,
      publicCommands: ['PlaceOrder', 'CancelOrder', 'ShipOrder'],
    })
    .aggregate(invoiceDecider, { key: 'invoice id', rejections: INVOICE_REJECTIONS, publicCommands: [] })
    .saga(orderFulfilment, {
      key: 'order id',
      hears: ['orders'],
      replies: {
        name: 'stock-replies',
        domain: 'stock',
        eventTypes: ['StockReserved', 'StockReservationRejected', 'StockReleased'],
        keyField: 'orderId',
        key: 'order id',
        description: 'stock reservation outcomes re-keyed by order id',
      },
      sends: ['stock', 'orders'],
      state: 'per order: the items to reserve, and which were reserved or refused',
      description: 'reserves stock per item, then confirms the order or rejects it and releases',
    })
    .policy({
      name: 'invoicing',
      hears: ['orders'],
      sends: ['invoices'],
      description: 'issues an invoice for every confirmed order',
      build: invoicing,
    })
    .view(productsView, {
      rows: 'productId → name, available, reserved, version',
      description: 'stock per product',
    })
    .view(ordersView, {
      rows: 'orderId → status, customer, items, total, invoice, shipping',
      description: 'each order with its invoice and shipping',
      rekeyed: [invoicesByOrder],
    })
    .view(ordersWithInvoicesView, {
      rows: 'orderId → customer, createdAt, invoiceUrl, status',
      description: 'the join of orders and invoices; forwards rows by customer',
      rekeyed: [invoicesByOrder],
      index: { field: 'customerId', key: 'customer id', processor: 'orders-with-invoices-by-customer' },
    });
}
