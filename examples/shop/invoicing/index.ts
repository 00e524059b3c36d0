export { type InvoiceCommandFor, invoiceFor, invoiceIdFor, type InvoicingOptions } from './invoiceFor.js';
