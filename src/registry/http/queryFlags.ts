/** A boolean query parameter, as JAX-RS reads one: true only for `true` (any case). */
export function flag(query: unknown, name: string): boolean {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/** A string query parameter, if given once. */
export function text(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
