import { CODE_FORMS } from '../errors/errorCatalog.js';

/**
 * A domain's rejection codes, each with a one-line description. Codes are stable UPPER_SNAKE
 * strings: clients and tests match on them, never on the message. Defined with defineErrorCatalog,
 * which checks both: `export const STOCK_REJECTIONS = defineErrorCatalog('stock rejections', {…})`.
 */
export type RejectionCatalog<Code extends string = string> = { readonly [K in Code]: string };

/** Whether a code has the catalog's shape: UPPER_SNAKE, starting with a letter. */
export function isRejectionCode(code: string): boolean {
  return CODE_FORMS.UPPER_SNAKE.test(code);
}
