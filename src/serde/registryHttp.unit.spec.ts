import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryHttp, RegistryHttpError } from './registryHttp.js';
import { isRegistryUnavailable } from './registryUnavailable.js';

/** A registry that answers every request with the status its path names (`/subjects` → 200). */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    const code = Number(/^\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
    response.writeHead(code, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    response.end(
      JSON.stringify(code === 200 ? [] : { error_code: code * 100 + 1, message: `answered ${code}` }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(client: RegistryHttp): Promise<RegistryHttpError> {
  const err = await client.subjects().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RegistryHttpError);
  return err as RegistryHttpError;
}

describe('registry calls', () => {
  it('pass when nothing answers, or the registry answers 5xx, 408 or 429', async () => {
    const closed = await failure(new RegistryHttp('http://127.0.0.1:1'));
    expect(closed).toMatchObject({ status: undefined, unavailable: true });
    expect(closed.message).toMatch(/cannot reach the schema registry at http:\/\/127\.0\.0\.1:1/);
    expect(isRegistryUnavailable(closed)).toBe(true);
    for (const status of [500, 503, 408, 429]) {
      const err = await failure(new RegistryHttp(`${url}/${status}`));
      expect(err).toMatchObject({ status, errorCode: status * 100 + 1, unavailable: true });
      expect(isRegistryUnavailable(err)).toBe(true);
    }
  });

  it('do not pass when the registry said no (4xx): that stays true', async () => {
    for (const status of [401, 404, 422]) {
      const err = await failure(new RegistryHttp(`${url}/${status}`));
      expect(err).toMatchObject({
        status,
        unavailable: false,
        message: `listing the subjects: answered ${status}`,
      });
      expect(isRegistryUnavailable(err)).toBe(false);
    }
    expect(await new RegistryHttp(url).subjects()).toEqual([]);
  });
});
