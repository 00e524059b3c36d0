/**
 * A domain's rejection codes, each with a one-line description. Codes are stable UPPER_SNAKE
 * strings: clients and tests match on them, never on the message.
 */
export type RejectionCatalog<Code extends string = string> = { readonly [K in Code]: string };

/** Whether a code has the catalog's shape: UPPER_SNAKE, starting with a letter. */
export function isRejectionCode(code: string): boolean {
  return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code);
}
