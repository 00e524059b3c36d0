import { createSigner } from 'fast-jwt';

/** How long an instance's service token is valid. */
export const SERVICE_TOKEN_LIFETIME_MS = 5 * 60_000;

/**
 * The `Authorization` header a kes instance sends to the others' internal routes when the API
 * requires tokens: a short-lived HS256 token it signs itself with the shared secret (KES_JWT_SECRET),
 * `{ sub: "kes-instance:<id>", role: "service" }`. Cached, and signed again once half its
 * lifetime has passed, so a token in flight is never about to expire and clocks may differ by as
 * much.
 */
export function serviceAuthorization(
  secret: string,
  instanceId: string,
  options: { readonly lifetimeMs?: number; readonly now?: () => number } = {},
): () => string {
  const lifetimeMs = options.lifetimeMs ?? SERVICE_TOKEN_LIFETIME_MS;
  const now = options.now ?? Date.now;
  const sign = createSigner({ key: secret, algorithm: 'HS256' });
  let cached: { header: string; renewAt: number } | undefined;
  return () => {
    const at = now();
    if (!cached || at >= cached.renewAt) {
      const iat = Math.floor(at / 1000);
      const token = sign({
        sub: `kes-instance:${instanceId}`,
        role: 'service',
        iat,
        exp: iat + Math.ceil(lifetimeMs / 1000),
      });
      cached = { header: `Bearer ${token}`, renewAt: at + lifetimeMs / 2 };
    }
    return cached.header;
  };
}
