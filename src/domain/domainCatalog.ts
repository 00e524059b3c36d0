import { accountDecider } from './accounts/accountDecider.js';
import { ACCOUNT_REJECTIONS } from './accounts/accountRejections.js';
import type { DomainName } from './domainRecord.js';
import { invoiceDecider } from './invoices/invoiceDecider.js';
import { INVOICE_REJECTIONS } from './invoices/invoiceRejections.js';
import { orderDecider } from './orders/orderDecider.js';
import { ORDER_REJECTIONS } from './orders/orderRejections.js';
import type { RejectionCatalog } from './rejectionCatalog.js';
import { stockDecider } from './stock/stockDecider.js';
import { STOCK_REJECTIONS } from './stock/stockRejections.js';
import { transferDecider } from './transfers/transferDecider.js';
import { TRANSFER_REJECTIONS } from './transfers/transferRejections.js';

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
