import { expect } from 'vitest';

/** The registries the conformance suite runs against. */
export type TargetName = 'kes' | 'apicurio';

/** A registry serving Confluent's REST API at `url` (no trailing slash). */
export interface RegistryTarget {
  readonly name: TargetName;
  readonly url: string;
}

export interface Answer {
  status: number;
  /** The parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
  /** The media type of the answer, without parameters. */
  contentType: string | undefined;
  text: string;
}

/** The media type Confluent documents as preferred, for requests and answers. */
export const REGISTRY_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * One request over HTTP, as Confluent's API reference shows them: the registry media type as the
 * body's type and in Accept. `headers` replaces those defaults.
 */
export async function call(
  target: RegistryTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'content-type': REGISTRY_TYPE, accept: REGISTRY_TYPE },
): Promise<Answer> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    body: parsed,
    contentType: response.headers.get('content-type')?.split(';')[0]?.trim(),
    text,
  };
}

/** An error's registry code, and its HTTP status where that is not the code's first three digits. */
export type ErrorCode = [code: number, status?: number];

/**
 * Asserts an error answer as Confluent's API reference describes them: the HTTP status, and a body
 * `{"error_code": code, "message": "..."}`. The status is the code's first three digits unless a
 * test says otherwise (a recorded difference). Messages are not compared across registries: the
 * reference documents the codes, not the wording.
 */
export function expectError(answer: Answer, code: number, status = Number(String(code).slice(0, 3))): void {
  expect({
    status: answer.status,
    error_code: (answer.body as { error_code?: unknown })?.error_code,
  }).toEqual({
    status,
    error_code: code,
  });
  expect(typeof (answer.body as { message?: unknown }).message).toBe('string');
}
