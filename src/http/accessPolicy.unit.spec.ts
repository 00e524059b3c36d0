import { describe, expect, it } from 'vitest';
import { type AccessRequest, authorize, isOpenRoute, type Principal, principalOf } from './accessPolicy.js';
import { application } from '../../topology/application.js';

/** The example application's rules. */
const authorizeShop = (principal: Principal, request: AccessRequest) =>
  authorize(principal, request, application.access);

const admin: Principal = { subject: 'ops', role: 'admin' };
const service: Principal = { subject: 'kes-instance:a', role: 'service' };
const ada: Principal = { subject: 'ada@example.com', role: 'customer', customerId: 'ada' };

function request(
  method: string,
  route: string | undefined,
  parts: Partial<Pick<AccessRequest, 'params' | 'query' | 'body'>> = {},
): AccessRequest {
  return { method, route, params: {}, query: {}, body: undefined, ...parts };
}

const view = (name: string, query: Record<string, string> = {}) =>
  request('GET', '/views/:view', { params: { view: name }, query });
const row = (name: string, key: string) =>
  request('GET', '/views/:view/:key', { params: { view: name, key } });
const command = (type: string, body: unknown) => request('POST', `/commands/${type}`, { body });
const placeOrder = (customerId: unknown) =>
  command('PlaceOrder', { orderId: 'o-1', customerId, customerName: 'Ada', items: [] });

const ADMIN_ROUTES = [
  request('GET', '/admin/views/:view', { params: { view: 'orders' } }),
  request('POST', '/admin/views/:view/rebuild', { params: { view: 'orders' } }),
];
const AUDIT_ROUTES = [
  request('GET', '/aggregates/:domain/:id/events', { params: { domain: 'orders', id: 'o-1' } }),
  request('GET', '/aggregates/:domain/:id', { params: { domain: 'orders', id: 'o-1' } }),
];
const INTERNAL_ROUTES = ['get', 'range', 'progress'].map((op) =>
  request('GET', `/internal/stores/:processor/:store/:partition/${op}`, {
    params: { processor: 'orders-view', store: 'orders-view', partition: '0' },
  }),
);

describe('open routes', () => {
  it('are the probes, the metrics, the documentation and the console page', () => {
    for (const route of [
      '/health/live',
      '/health/ready',
      '/metrics',
      '/docs',
      '/docs/json',
      '/docs/static/*',
      '/',
      '/console/*',
    ]) {
      expect(isOpenRoute(route), route).toBe(true);
    }
    for (const route of [
      undefined,
      '/views/:view',
      '/commands/PlaceOrder',
      '/admin/views/:view',
      '/docsx',
      '/consoles',
      '/admin/topology',
    ]) {
      expect(isOpenRoute(route), route).toBe(false);
    }
  });
});

describe('principalOf', () => {
  it('reads admin, service and customer tokens', () => {
    expect(principalOf({ sub: 'ops', role: 'admin', iat: 1 })).toEqual(admin);
    expect(principalOf({ sub: 'kes-instance:a', role: 'service' })).toEqual(service);
    expect(principalOf({ sub: 'ada@example.com', role: 'customer', customerId: 'ada' })).toEqual(ada);
  });

  it('refuses claims naming nobody, an unknown role, or a customer without customerId', () => {
    for (const claims of [
      null,
      'ops',
      {},
      { role: 'admin' },
      { sub: '', role: 'admin' },
      { sub: 'ops' },
      { sub: 'ops', role: 'root' },
      { sub: 'ops', role: ['admin'] },
      { sub: 'ada', role: 'customer' },
      { sub: 'ada', role: 'customer', customerId: '' },
      { sub: 'ada', role: 'customer', customerId: 7 },
    ]) {
      expect(principalOf(claims), JSON.stringify(claims)).toEqual({ invalid: expect.any(String) });
    }
  });
});

describe('admin', () => {
  it('may do everything', () => {
    for (const r of [...ADMIN_ROUTES, ...AUDIT_ROUTES, ...INTERNAL_ROUTES, view('orders'), placeOrder('x')]) {
      expect(authorizeShop(admin, r), r.route).toEqual({ allowed: true });
    }
  });
});

describe('service', () => {
  it('may send any command, read any view, the audit history and the internal routes', () => {
    for (const r of [
      ...AUDIT_ROUTES,
      ...INTERNAL_ROUTES,
      view('orders'),
      view('orders-with-invoices'),
      row('orders', 'o-1'),
      placeOrder('anyone'),
      command('ShipOrder', { orderId: 'o-1' }),
    ]) {
      expect(authorizeShop(service, r), r.route).toEqual({ allowed: true });
    }
  });

  it('may not run admin operations', () => {
    for (const r of ADMIN_ROUTES) {
      expect(authorizeShop(service, r)).toEqual({ allowed: false, reason: expect.stringContaining('admin') });
    }
  });
});

describe('customer', () => {
  const denied = { allowed: false, reason: expect.any(String) };

  it('places orders for themselves only', () => {
    expect(authorizeShop(ada, placeOrder('ada'))).toEqual({ allowed: true });
    for (const body of [
      { orderId: 'o-1', customerId: 'bob' },
      { orderId: 'o-1' },
      { orderId: 'o-1', customerId: ['ada'] },
      null,
      '{"customerId":"ada"}',
    ]) {
      expect(authorizeShop(ada, command('PlaceOrder', body)), JSON.stringify(body)).toEqual(denied);
    }
  });

  it('cancels an order only once the route has checked it is theirs', () => {
    expect(authorizeShop(ada, command('CancelOrder', { orderId: 'o-1', reason: 'no' }))).toEqual({
      allowed: true,
      customerId: 'ada',
      owned: { domain: 'orders', aggregateId: 'o-1' },
    });
  });

  it('may not send the other commands, nor unknown ones', () => {
    for (const type of ['AddProduct', 'IncreaseStock', 'DecreaseStock', 'ShipOrder']) {
      expect(authorizeShop(ada, command(type, { productId: 'p', orderId: 'o-1' })), type).toEqual(denied);
    }
    expect(
      authorizeShop(ada, request('POST', '/commands/:type', { params: { type: 'ConfirmOrder' } })),
    ).toEqual(denied);
  });

  it('lists orders-with-invoices as themselves: the index value comes from the token', () => {
    expect(authorizeShop(ada, view('orders-with-invoices'))).toEqual({ allowed: true, customerId: 'ada' });
    expect(authorizeShop(ada, view('orders-with-invoices', { customerId: 'ada' }))).toEqual({
      allowed: true,
      customerId: 'ada',
    });
    expect(authorizeShop(ada, view('orders-with-invoices', { customerId: 'bob' }))).toEqual(denied);
  });

  it('lists products, but not every order, nor an unknown view', () => {
    expect(authorizeShop(ada, view('products'))).toEqual({ allowed: true });
    expect(authorizeShop(ada, view('orders'))).toEqual(denied);
    expect(authorizeShop(ada, view('secrets'))).toEqual(denied);
  });

  it('reads any product, and order rows restricted to their own', () => {
    expect(authorizeShop(ada, row('products', 'apple'))).toEqual({ allowed: true });
    expect(authorizeShop(ada, row('orders', 'o-1'))).toEqual({ allowed: true, customerId: 'ada' });
    expect(authorizeShop(ada, row('orders-with-invoices', 'o-1'))).toEqual({
      allowed: true,
      customerId: 'ada',
    });
    expect(authorizeShop(ada, row('secrets', 'x'))).toEqual(denied);
  });

  it('may not read the audit history, the internal routes, nor run admin operations', () => {
    for (const r of [...AUDIT_ROUTES, ...INTERNAL_ROUTES, ...ADMIN_ROUTES]) {
      expect(authorizeShop(ada, r), r.route).toEqual(denied);
    }
  });

  it('reaches open routes and unmatched ones (answered ROUTE_NOT_FOUND)', () => {
    expect(authorizeShop(ada, request('GET', '/health/ready'))).toEqual({ allowed: true });
    expect(authorizeShop(ada, request('GET', undefined))).toEqual({ allowed: true });
  });
});
