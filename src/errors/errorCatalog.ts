/**
 * The forms a catalog's codes take: UPPER_SNAKE strings starting with a letter (the default), or
 * numbers (the schema registry's Confluent error codes, e.g. 40401).
 */
export const CODE_FORMS = {
  UPPER_SNAKE: /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/,
  numeric: /^[1-9][0-9]*$/,
} as const;

export type CodeForm = keyof typeof CODE_FORMS;

/** An entry of a catalog: its one-line description, or an object with one and what else it needs. */
export type CatalogEntry = string | { readonly description: string };

export interface ErrorCatalogOptions {
  /** The form of the codes; default UPPER_SNAKE. */
  readonly codes?: CodeForm;
}

/**
 * Defines an error catalog: every code an error, a rejection or a result can carry, each with a
 * one-line description (`{ CODE: 'description' }`, or `{ CODE: { description, ...more } }`). Every
 * catalog of kes and of its applications is defined with it (the lint refuses a module-level
 * `*_ERRORS`, `*_REJECTIONS` or `*_CODES` defined otherwise). It checks, when the module loads,
 * that each code has the catalog's form and each description is one non-empty line, and throws
 * naming the catalog and the entry otherwise; it returns the entries frozen, with their literal
 * types, so `keyof typeof CATALOG` is the union of its codes.
 */
export function defineErrorCatalog<const E extends Readonly<Record<string, CatalogEntry>>>(
  name: string,
  entries: E,
  options: ErrorCatalogOptions = {},
): E {
  const form = options.codes ?? 'UPPER_SNAKE';
  for (const [code, entry] of Object.entries(entries)) {
    if (!CODE_FORMS[form].test(code)) throw new Error(`${name}: the code '${code}' is not ${form}`);
    const description: unknown =
      typeof entry === 'string' ? entry : (entry as { description?: unknown })?.description;
    if (typeof description !== 'string' || description.trim() === '') {
      throw new Error(`${name}: ${code} has no description`);
    }
    if (/[\r\n\u2028\u2029]/.test(description)) {
      throw new Error(`${name}: the description of ${code} is more than one line`);
    }
    if (typeof entry === 'object') Object.freeze(entry);
  }
  return Object.freeze(entries);
}
