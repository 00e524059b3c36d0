import { createDecoder, createVerifier } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { principalOf } from './accessPolicy.js';
import { serviceAuthorization } from './serviceToken.js';

const verify = createVerifier({ key: 'secret', algorithms: ['HS256'] });
const decode = createDecoder();
const token = (header: string) => header.replace(/^Bearer /, '');

describe('serviceAuthorization', () => {
  it('is a bearer token of the service role, signed with the secret, short-lived', () => {
    const header = serviceAuthorization('secret', 'kes-1', { lifetimeMs: 60_000 })();
    expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = verify(token(header)) as { iat: number; exp: number };
    expect(principalOf(claims)).toEqual({ subject: 'kes-instance:kes-1', role: 'service' });
    expect(claims.exp - claims.iat).toBe(60);
    expect(() => createVerifier({ key: 'other', algorithms: ['HS256'] })(token(header))).toThrow();
  });

  it('is cached, and signed again once half its lifetime has passed', () => {
    let now = 1_700_000_000_000;
    const authorization = serviceAuthorization('secret', 'kes-1', { lifetimeMs: 60_000, now: () => now });
    const first = authorization();
    now += 29_000;
    expect(authorization()).toBe(first);
    now += 1_000;
    const second = authorization();
    expect(second).not.toBe(first);
    expect(decode(token(second))).toMatchObject({ iat: 1_700_000_030, exp: 1_700_000_090 });
  });
});
