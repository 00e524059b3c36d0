/**
 * Who may call what, when the API requires tokens (KES_JWT_SECRET): pure decisions from a token's
 * claims and the route a request matched. apiAuth.ts verifies the token and applies them.
 *
 * Claims (HS256 JWT): `sub` (who; logged), `role` (`admin` | `service` | `customer`) and, for a
 * customer, `customerId` (the customer they are; the `customerId` of their rows and aggregates). `exp` is
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
      /** An aggregate the request changes: allowed only if it is `customerId`'s (checked by apiAuth). */
      readonly owned?: OwnedAggregate;
    };

/**
 * What a customer (a token with role `customer` and a `customerId`) may call, given by the
 * application; admins may call everything, services everything but `/admin/*`.
 */
export interface AccessRules {
  /**
   * The commands a customer may send, each bound to the customer by its body: `{ customerField }`
   * — the body's field must be their customerId (PlaceOrder for themselves); `{ owned }` — the
   * body's `idField` names an aggregate of `domain` whose state's `customerId` is theirs
   * (CancelOrder of their own order).
   */
  readonly commands?: Readonly<
    Record<
      string,
      | { readonly customerField: string }
      | { readonly owned: { readonly domain: string; readonly idField: string } }
    >
  >;
  /**
   * The views a customer may read: `rows` by key and `list` page by page, each `all` or `own`
   * (rows whose `customerId` is theirs; a list goes through the view's `customerId` index, the
   * value taken from the token). A view not named, or a missing `list`, is refused.
   */
  readonly views?: Readonly<Record<string, { readonly rows: 'all' | 'own'; readonly list?: 'all' | 'own' }>>;
}

/** An aggregate a request changes: allowed only if its state's customerId is the customer's. */
export interface OwnedAggregate {
  readonly domain: string;
  readonly aggregateId: string;
}

const ALLOW: Decision = { allowed: true };

/**
 * Routes served without a token: operations (probes, metrics), the API's documentation and the
 * console's page and assets (which hold no data: the console reads the API with a token).
 */
export function isOpenRoute(route: string | undefined): boolean {
  return (
    route === '/' ||
    (route?.startsWith('/console/') ?? false) ||
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
 * `customer` what the application's access rules allow — nothing else. A request matching no
 * route is allowed (it is answered ROUTE_NOT_FOUND).
 */
export function authorize(principal: Principal, request: AccessRequest, rules: AccessRules): Decision {
  const { route } = request;
  if (route === undefined || isOpenRoute(route) || principal.role === 'admin') return ALLOW;
  if (route.startsWith('/admin/')) return deny(principal, 'admin operations need the admin role');
  return principal.role === 'customer' ? authorizeCustomer(principal, request, route, rules) : ALLOW;
}

function authorizeCustomer(
  customer: Extract<Principal, { role: 'customer' }>,
  request: AccessRequest,
  route: string,
  rules: AccessRules,
): Decision {
  const { customerId } = customer;
  if (route.startsWith('/commands/')) {
    const type = route.slice('/commands/'.length);
    const rule = rules.commands?.[type];
    if (rule === undefined) return deny(customer, `a customer may not send ${type}`);
    const body = request.body as Record<string, unknown> | null;
    if ('customerField' in rule) {
      return typeof body === 'object' && body?.[rule.customerField] === customerId
        ? ALLOW
        : deny(
            customer,
            `a customer sends ${type} for themselves only (${rule.customerField} ${customerId})`,
          );
    }
    const id = typeof body === 'object' ? body?.[rule.owned.idField] : undefined;
    // A body without the id is left to the command's validation (INVALID_PAYLOAD).
    return typeof id === 'string'
      ? { allowed: true, customerId, owned: { domain: rule.owned.domain, aggregateId: id } }
      : ALLOW;
  }
  const view = request.params.view ?? '';
  switch (route) {
    case '/views/:view': {
      const access = rules.views?.[view]?.list;
      if (access === 'all') return ALLOW;
      if (access === undefined) return deny(customer, `a customer may not list ${view}`);
      const asked = request.query.customerId;
      if (asked !== undefined && asked !== customerId) {
        return deny(customer, `a customer reads their own rows only (customerId ${customerId})`);
      }
      return { allowed: true, customerId };
    }
    case '/views/:view/:key': {
      const access = rules.views?.[view]?.rows;
      if (access === 'all') return ALLOW;
      if (access === undefined) return deny(customer, `a customer may not read ${view}`);
      return { allowed: true, customerId };
    }
    default:
      return deny(customer, `a customer may not call ${request.method} ${route}`);
  }
}

function deny(principal: Principal, reason: string): Decision {
  return { allowed: false, reason: `${reason} (role ${principal.role})` };
}
