import { createSigner } from 'fast-jwt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { type AppHandle, type AppOptions, startApp } from '../app/startApp.js';
import { serviceAuthorization } from './serviceToken.js';
import { application } from '../../topology/application.js';

/**
 * The HTTP API with KES_JWT_SECRET set, on the embedded stack over real HTTP: 401 for a missing,
 * malformed, tampered or expired token, 403 for what a role may not do, what each role may do,
 * the open operations routes, and interactive queries between instances signing their own tokens.
 */
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const SECRET = 'test-secret';
let stack: TestStack;
const apps: AppHandle[] = [];
const dirs: { remove(): void }[] = [];

async function start(instanceId: string, options: Partial<AppOptions> = {}): Promise<AppHandle> {
  const dir = tempDir('kes-auth-');
  dirs.push(dir);
  const started = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dir.path,
    instanceId,
    env: { KES_INVOICE_BASE_URL: 'https://invoices.test/' },
    logger,
    http: { port: 0, jwtSecret: SECRET, limits: { queryWaitMs: 3000 } },
    ...options,
  });
  apps.push(started);
  await started.streams.whenReady();
  return started;
}

beforeAll(async () => {
  stack = await startTestStack();
  await start('auth-test');
}, 120_000);

afterAll(async () => {
  for (const app of apps.reverse()) await app.close();
  await stack?.stop();
  for (const dir of dirs) dir.remove();
});

const sign = createSigner({ key: SECRET, algorithm: 'HS256', expiresIn: 60_000 });
const TOKENS = {
  admin: sign({ sub: 'ops@example.com', role: 'admin' }),
  service: sign({ sub: 'billing', role: 'service' }),
  ada: sign({ sub: 'ada@example.com', role: 'customer', customerId: 'ada' }),
  bob: sign({ sub: 'bob@example.com', role: 'customer', customerId: 'bob' }),
};

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** A request to the first instance (or `at`): `token` becomes `Authorization: Bearer <token>`. */
async function call(
  method: string,
  path: string,
  options: { token?: string; authorization?: string; body?: unknown; at?: AppHandle } = {},
): Promise<Answer> {
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  const response = await fetch(`${(options.at ?? apps[0]!).url}${path}`, {
    method,
    headers: {
      ...(authorization !== undefined ? { authorization } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return { status: response.status, body: json ? JSON.parse(text) : text, headers: response.headers };
}

const command = (type: string, data: unknown, token?: string, at?: AppHandle) =>
  call('POST', `/commands/${type}`, { body: data, ...(token ? { token } : {}), ...(at ? { at } : {}) });

/** A command that must be accepted; its answer's body. */
async function accepted(type: string, data: unknown, token: string) {
  const { status, body } = await command(type, data, token);
  expect({ status, body }).toMatchObject({ status: 200, body: { position: expect.any(String) } });
  return body as { position: string };
}

const order = (orderId: string, customerId: string, productId = 'auth-widget') => ({
  orderId,
  customerId,
  customerName: customerId,
  items: [{ productId, quantity: 1, unitPrice: 100 }],
});

function expectUnauthorized(answer: Answer, tokenSent: boolean) {
  expect(answer).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  expect(answer.headers.get('www-authenticate')).toBe(
    tokenSent ? 'Bearer realm="kes", error="invalid_token"' : 'Bearer realm="kes"',
  );
}

function expectForbidden(answer: Answer) {
  expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', message: expect.any(String) } });
}

describe('authentication (401)', () => {
  it('refuses a request without a token, on every kind of route', async () => {
    expectUnauthorized(await call('GET', '/views/products'), false);
    expectUnauthorized(await call('GET', '/views/products/apple'), false);
    expectUnauthorized(await call('GET', '/aggregates/stock/apple/events'), false);
    expectUnauthorized(await call('POST', '/admin/views/products/rebuild'), false);
    expectUnauthorized(await command('AddProduct', { productId: 'x', name: 'X', initialStock: 1 }), false);
    // Unknown routes too: without a token, nothing about the API is told.
    expectUnauthorized(await call('GET', '/no/such/route'), false);
  });

  it('refuses before reading the body', async () => {
    const response = await fetch(`${apps[0]!.url}/commands/AddProduct`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'not json',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a malformed Authorization header or token', async () => {
    for (const authorization of [
      'Basic b3BzOnNlY3JldA==',
      'Bearer',
      'Bearer ',
      `Bearer ${TOKENS.admin} extra`,
      'Bearer not-a-jwt',
      'Bearer a.b.c',
      TOKENS.admin, // no scheme
    ]) {
      const answer = await call('GET', '/views/products', { authorization });
      expect(answer.status, authorization).toBe(401);
      expect(answer.body.code, authorization).toBe('UNAUTHORIZED');
      expect(answer.headers.get('www-authenticate'), authorization).toMatch(/^Bearer realm="kes"/);
    }
  });

  it('refuses a token signed with another secret, or whose claims were changed', async () => {
    const forged = createSigner({ key: 'another-secret', algorithm: 'HS256' })({ sub: 'x', role: 'admin' });
    expectUnauthorized(await call('GET', '/views/products', { token: forged }), true);
    // Ada's token made an admin's: the signature no longer matches.
    const [header, , signature] = TOKENS.ada.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'ada@example.com', role: 'admin' })).toString(
      'base64url',
    );
    const tampered = `${header}.${payload}.${signature}`;
    expectUnauthorized(await call('POST', '/admin/views/products/rebuild', { token: tampered }), true);
    // No signature at all (alg none).
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expectUnauthorized(await call('GET', '/views/products', { token: none }), true);
    // Another algorithm than HS256, with the right secret.
    const hs512 = createSigner({ key: SECRET, algorithm: 'HS512' })({ sub: 'x', role: 'admin' });
    expectUnauthorized(await call('GET', '/views/products', { token: hs512 }), true);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = sign({ sub: 'ops@example.com', role: 'admin', iat: now - 120, exp: now - 60 });
    const answer = await call('GET', '/views/products', { token: expired });
    expectUnauthorized(answer, true);
    expect(answer.body.message).toMatch(/expired/);
  });

  it('refuses a signed token whose claims name no role, or a customer without customerId', async () => {
    for (const claims of [
      { sub: 'ops' },
      { sub: 'ops', role: 'root' },
      { role: 'admin' },
      { sub: 'ada', role: 'customer' },
    ]) {
      expectUnauthorized(await call('GET', '/views/products', { token: sign(claims) }), true);
    }
  });
});

describe('open routes', () => {
  it('serves health, metrics and the documentation without a token', async () => {
    expect(await call('GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'UP' } });
    expect(await call('GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'READY' } });
    expect((await call('GET', '/metrics')).status).toBe(200);
    expect((await call('GET', '/docs')).status).toBe(200);
    const docs = await call('GET', '/docs/json');
    expect(docs.status).toBe(200);
    expect(docs.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('roles (403 and what is allowed)', () => {
  const positions: Record<string, string> = {};

  beforeAll(async () => {
    await accepted(
      'AddProduct',
      { productId: 'auth-widget', name: 'Widget', initialStock: 100 },
      TOKENS.admin,
    );
    positions.ada = (await accepted('PlaceOrder', order('ada-1', 'ada'), TOKENS.ada)).position;
    positions.bob = (await accepted('PlaceOrder', order('bob-1', 'bob'), TOKENS.bob)).position;
  });

  it('a customer places orders for themselves only', async () => {
    expectForbidden(await command('PlaceOrder', order('ada-2', 'bob'), TOKENS.ada));
    expectForbidden(await command('PlaceOrder', { orderId: 'ada-3' }, TOKENS.ada));
    // Refused before it is sent: the order was never placed, and Ada may still place it as herself.
    await accepted('PlaceOrder', order('ada-2', 'ada'), TOKENS.ada);
  });

  it('a customer reads their own orders-with-invoices: the customer comes from the token', async () => {
    for (const query of [`?after=${positions.ada}`, `?customerId=ada&after=${positions.ada}`]) {
      const mine = await call('GET', `/views/orders-with-invoices${query}`, { token: TOKENS.ada });
      expect(mine.status, query).toBe(200);
      expect(
        mine.body.items.map((r: { orderId: string }) => r.orderId),
        query,
      ).toContain('ada-1');
      expect(
        mine.body.items.every((r: { customerId: string }) => r.customerId === 'ada'),
        query,
      ).toBe(true);
    }
    const bobs = await call('GET', `/views/orders-with-invoices?after=${positions.bob}`, {
      token: TOKENS.bob,
    });
    expect(bobs.body.items.map((r: { orderId: string }) => r.orderId)).toEqual(['bob-1']);
  });

  it("a customer may not read another customer's orders", async () => {
    expectForbidden(await call('GET', '/views/orders-with-invoices?customerId=bob', { token: TOKENS.ada }));
    expectForbidden(await call('GET', '/views/orders', { token: TOKENS.ada }));
    const own = await call('GET', `/views/orders/ada-1?after=${positions.ada}`, { token: TOKENS.ada });
    expect(own).toMatchObject({ status: 200, body: { orderId: 'ada-1', customerId: 'ada' } });
    // Another's order is answered as if it did not exist.
    for (const view of ['orders', 'orders-with-invoices']) {
      const other = await call('GET', `/views/${view}/bob-1?after=${positions.bob}`, { token: TOKENS.ada });
      expect(other, view).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      expect(other.body.message).toBe(`${view} has no row bob-1`);
    }
  });

  it('a customer reads products', async () => {
    expect((await call('GET', '/views/products', { token: TOKENS.ada })).status).toBe(200);
    expect(await call('GET', '/views/products/auth-widget', { token: TOKENS.ada })).toMatchObject({
      status: 200,
      body: { productId: 'auth-widget' },
    });
  });

  it('a customer cancels their own orders only, and sends no other command', async () => {
    const cancel = (orderId: string) => ({ orderId, reason: 'changed my mind' });
    expectForbidden(await command('CancelOrder', cancel('bob-1'), TOKENS.ada));
    expectForbidden(await command('CancelOrder', cancel('no-such-order'), TOKENS.ada));
    expectForbidden(
      await command('ShipOrder', { orderId: 'ada-1', carrier: 'UPS', trackingCode: '1' }, TOKENS.ada),
    );
    expectForbidden(await command('AddProduct', { productId: 'p', name: 'P', initialStock: 1 }, TOKENS.ada));
    expectForbidden(await command('IncreaseStock', { productId: 'auth-widget', quantity: 1 }, TOKENS.ada));
    expectForbidden(await command('ConfirmOrder', { orderId: 'ada-1' }, TOKENS.ada));
    expect(await command('CancelOrder', cancel('ada-1'), TOKENS.ada)).toMatchObject({
      status: 200,
      body: { aggregateId: 'ada-1', events: [{ type: 'kes.orders.OrderCancelled' }] },
    });
  });

  it('audit history is for admin and service, admin operations for admin', async () => {
    expectForbidden(await call('GET', '/aggregates/orders/ada-1/events', { token: TOKENS.ada }));
    expectForbidden(await call('GET', '/aggregates/orders/ada-1', { token: TOKENS.ada }));
    expectForbidden(await call('GET', '/admin/views/products', { token: TOKENS.ada }));
    expectForbidden(await call('POST', '/admin/views/products/rebuild', { token: TOKENS.ada }));
    expectForbidden(await call('POST', '/admin/views/products/rebuild', { token: TOKENS.service }));
    const history = await call('GET', `/aggregates/orders/bob-1/events?after=${positions.bob}`, {
      token: TOKENS.service,
    });
    expect(history).toMatchObject({
      status: 200,
      body: { aggregateId: 'bob-1', version: expect.any(Number) },
    });
    expect((await call('GET', '/aggregates/orders/bob-1', { token: TOKENS.admin })).status).toBe(200);
    expect(await call('GET', '/admin/views/products', { token: TOKENS.admin })).toMatchObject({
      status: 200,
      body: { view: 'products', active: 1 },
    });
  });

  it('a service sends any command and reads any view', async () => {
    await accepted('IncreaseStock', { productId: 'auth-widget', quantity: 5 }, TOKENS.service);
    expect((await call('GET', '/views/orders', { token: TOKENS.service })).status).toBe(200);
    expect((await call('GET', '/views/orders-with-invoices', { token: TOKENS.service })).status).toBe(200);
  });

  it('an authenticated request to an unknown route is answered ROUTE_NOT_FOUND', async () => {
    expect(await call('GET', '/no/such/route', { token: TOKENS.ada })).toMatchObject({
      status: 404,
      body: { code: 'ROUTE_NOT_FOUND' },
    });
  });
});

describe('between instances', () => {
  const progress = '/internal/stores/products-view/products-view/0/progress';

  it('the internal routes need a service (or admin) token', async () => {
    expectUnauthorized(await call('GET', progress), false);
    expectForbidden(await call('GET', progress, { token: TOKENS.ada }));
    const foreign = serviceAuthorization('another-secret', 'intruder')();
    expectUnauthorized(await call('GET', progress, { authorization: foreign }), true);
    const own = serviceAuthorization(SECRET, 'auth-test-peer')();
    expect(await call('GET', progress, { authorization: own })).toMatchObject({
      status: 200,
      body: { applied: expect.any(Object) },
    });
  });

  it('an instance reads what another owns with the token it signs itself', async () => {
    // Runs nothing: every view is read from the first instance, over its internal routes.
    const reader = await start('auth-test-reader', { processors: [] });
    const { position } = await accepted('PlaceOrder', order('ada-4', 'ada'), TOKENS.ada);
    expect(
      await call('GET', `/views/orders/ada-4?after=${position}`, { token: TOKENS.ada, at: reader }),
    ).toMatchObject({ status: 200, body: { orderId: 'ada-4', customerId: 'ada' } });
    const mine = await call('GET', `/views/orders-with-invoices?after=${position}`, {
      token: TOKENS.ada,
      at: reader,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: { orderId: string }) => r.orderId)).toEqual(
      expect.arrayContaining(['ada-1', 'ada-2', 'ada-4']),
    );
    expect((await call('GET', '/views/products/auth-widget', { token: TOKENS.bob, at: reader })).status).toBe(
      200,
    );
    // A customer's CancelOrder is checked against the order's aggregate, held by the first instance.
    expectForbidden(await command('CancelOrder', { orderId: 'bob-1', reason: 'x' }, TOKENS.ada, reader));
    expect(await command('CancelOrder', { orderId: 'ada-4', reason: 'x' }, TOKENS.ada, reader)).toMatchObject(
      { status: 200, body: { aggregateId: 'ada-4' } },
    );
  });

  it('an instance with another secret is refused by the others: their partitions are unavailable to it', async () => {
    const stranger = await start('auth-test-stranger', {
      processors: [],
      http: { port: 0, jwtSecret: 'another-secret', limits: { queryWaitMs: 500 } },
    });
    const token = createSigner({ key: 'another-secret', algorithm: 'HS256' })({ sub: 'x', role: 'admin' });
    const answer = await call('GET', '/views/products/auth-widget', { token, at: stranger });
    expect(answer).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
    expect(answer.body.message).toMatch(/answered 401/);
  });
});

describe('admin', () => {
  it('rebuilds a view', async () => {
    expect(await call('POST', '/admin/views/products/rebuild', { token: TOKENS.admin })).toMatchObject({
      status: 202,
      body: { view: 'products', building: 2 },
    });
  });
});
