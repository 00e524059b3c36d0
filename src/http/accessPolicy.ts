/**
 * Who may call what, when the API requires tokens (KES_JWT_SECRET): pure decisions from a token's
 * claims and the route a request matched. apiAuth.ts verifies the token and applies them.
 *
 * Claims (HS256 JWT): `sub` (who; logged), `role` (`admin` | `service` | `customer`) and, for a
 * customer, `customerId` (the customer they are; the `customerId` of their orders). `exp` is
 * checked when present.
 */
export const ROLES = ['admin', 'service', 'customer'] as const;

export type Role = (typeof ROLES)[number];

/** Who a verified token names. */
export type Principal =
  | { readonly subject: string; readonly role: 'admin' | 'service' }
  | { readonly subject: string; readonly role: 'customer'; readonly customerId: string };

/** What the policy sees of a request: its method, the route it matched, its parameters and body. */
export interface AccessRequest {
  readonly method: string;
  /** The route's pattern as registered (e.g. `/views/:view/:key`); undefined when none matched. */
  readonly route: string | undefined;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/** The decision for one request. */
export type Decision =
  | { readonly allowed: false; readonly reason: string }
  | {
      readonly allowed: true;
      /** A customer's request: it reads or changes this customer's data only. */
      readonly customerId?: string;
      /** An order the request changes: allowed only if it is `customerId`'s (the route checks). */
      readonly order?: string;
    };

/** The rows of views a customer may read by key: every row, or rows whose `customerId` is theirs. */
const CUSTOMER_ROWS: Readonly<Record<string, 'all' | 'own'>> = {
  products: 'all',
  orders: 'own',
  'orders-with-invoices': 'own',
};

/**
 * The views a customer may list: all of it, or through its `customerId` index — their own rows,
 * the index value coming from the token.
 */
const CUSTOMER_LISTS: Readonly<Record<string, 'all' | 'own'>> = {
  products: 'all',
  'orders-with-invoices': 'own',
};

const ALLOW: Decision = { allowed: true };

/** Routes served without a token: operations (probes, metrics) and the API's documentation. */
export function isOpenRoute(route: string | undefined): boolean {
  return (
    route === '/health/live' ||
    route === '/health/ready' ||
    route === '/metrics' ||
    route === '/docs' ||
    (route?.startsWith('/docs/') ?? false)
  );
}

/** The principal a verified token's claims name, or why they name none. */
export function principalOf(claims: unknown): Principal | { readonly invalid: string } {
  if (typeof claims !== 'object' || claims === null) return { invalid: 'the token has no claims' };
  const { sub, role, customerId } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) return { invalid: 'the token has no sub' };
  if (!(ROLES as readonly unknown[]).includes(role)) {
    return { invalid: `the token's role must be one of ${ROLES.join(', ')}` };
  }
  if (role !== 'customer') return { subject: sub, role: role as 'admin' | 'service' };
  if (typeof customerId !== 'string' || customerId.length === 0) {
    return { invalid: 'a customer token must carry customerId' };
  }
  return { subject: sub, role, customerId };
}

/**
 * Decides a request of an authenticated principal. `admin` may do everything; `service` (other
 * systems, and kes instances reading each other's partitions) everything but `/admin/*`; a
 * `customer` may read products, their own orders, and send PlaceOrder for themselves and
 * CancelOrder for their own orders — nothing else. A request matching no route is allowed (it is
 * answered ROUTE_NOT_FOUND).
 */
export function authorize(principal: Principal, request: AccessRequest): Decision {
  const { route } = request;
  if (route === undefined || isOpenRoute(route) || principal.role === 'admin') return ALLOW;
  if (route.startsWith('/admin/')) return deny(principal, 'admin operations need the admin role');
  return principal.role === 'customer' ? authorizeCustomer(principal, request, route) : ALLOW;
}

function authorizeCustomer(
  customer: Extract<Principal, { role: 'customer' }>,
  request: AccessRequest,
  route: string,
): Decision {
  const { customerId } = customer;
  switch (route) {
    case '/commands/PlaceOrder': {
      const body = request.body as { customerId?: unknown } | null;
      return typeof body === 'object' && body?.customerId === customerId
        ? ALLOW
        : deny(customer, `a customer places orders for themselves only (customerId ${customerId})`);
    }
    case '/commands/CancelOrder': {
      const orderId = (request.body as { orderId?: unknown } | null)?.orderId;
      // A body without an order id is left to the command's validation (INVALID_PAYLOAD).
      return typeof orderId === 'string' ? { allowed: true, customerId, order: orderId } : ALLOW;
    }
    case '/views/:view': {
      const access = CUSTOMER_LISTS[request.params.view ?? ''];
      if (access === 'all') return ALLOW;
      if (access === undefined) return deny(customer, `a customer may not list ${request.params.view}`);
      const asked = request.query.customerId;
      if (asked !== undefined && asked !== customerId) {
        return deny(customer, `a customer reads their own orders only (customerId ${customerId})`);
      }
      return { allowed: true, customerId };
    }
    case '/views/:view/:key': {
      const access = CUSTOMER_ROWS[request.params.view ?? ''];
      if (access === 'all') return ALLOW;
      if (access === undefined) return deny(customer, `a customer may not read ${request.params.view}`);
      return { allowed: true, customerId };
    }
    default:
      return deny(customer, `a customer may not call ${request.method} ${route}`);
  }
}

function deny(principal: Principal, reason: string): Decision {
  return { allowed: false, reason: `${reason} (role ${principal.role})` };
}
