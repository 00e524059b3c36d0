export { INVOICE_COMMAND_TYPES, type InvoiceCommand, type IssueInvoice } from './invoiceCommands.js';
export { INVOICE_EVENT_TYPES, type InvoiceEvent, type InvoiceIssued } from './invoiceEvents.js';
export { initialInvoiceState, type Invoice, type InvoiceState } from './invoiceState.js';
export { INVOICE_REJECTIONS, type InvoiceRejectionCode } from './invoiceRejections.js';
export { decideInvoice } from './decideInvoice.js';
export { evolveInvoice } from './evolveInvoice.js';
export { invoiceDecider } from './invoiceDecider.js';
