import { accountDecider } from './ledger/accounts/accountDecider.js';
import { ACCOUNT_REJECTIONS } from './ledger/accounts/accountRejections.js';
import type { DomainName } from '../src/index.js';
import { invoiceDecider } from './shop/invoices/invoiceDecider.js';
import { INVOICE_REJECTIONS } from './shop/invoices/invoiceRejections.js';
import { orderDecider } from './shop/orders/orderDecider.js';
import { ORDER_REJECTIONS } from './shop/orders/orderRejections.js';
import type { RejectionCatalog } from '../src/index.js';
import { stockDecider } from './shop/stock/stockDecider.js';
import { STOCK_REJECTIONS } from './shop/stock/stockRejections.js';
import { transferDecider } from './ledger/transfers/transferDecider.js';
import { TRANSFER_REJECTIONS } from './ledger/transfers/transferRejections.js';

/** Each domain's decider, for the command handlers. */
export const deciders = {
  stock: stockDecider,
  orders: orderDecider,
  invoices: invoiceDecider,
  accounts: accountDecider,
  transfers: transferDecider,
} as const;

/** Each domain's rejection codes with their descriptions. */
export const rejectionCatalogs: { readonly [D in DomainName]: RejectionCatalog } = {
  stock: STOCK_REJECTIONS,
  orders: ORDER_REJECTIONS,
  invoices: INVOICE_REJECTIONS,
  accounts: ACCOUNT_REJECTIONS,
  transfers: TRANSFER_REJECTIONS,
};
