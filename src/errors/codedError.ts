/**
 * An error with a stable code (what callers match on, never the message) and details that name
 * what it is about (the field, the view, the key). Each layer's errors extend it with its own codes;
 * the HTTP API answers them with the API error of the same code.
 */
export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
