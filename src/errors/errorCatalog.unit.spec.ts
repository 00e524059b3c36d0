import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineErrorCatalog } from './errorCatalog.js';

describe('defineErrorCatalog', () => {
  it('returns the entries, frozen, with their literal types', () => {
    const catalog = defineErrorCatalog('parcel rejections', {
      PARCEL_LOST: 'the parcel was lost',
      NO_ADDRESS: 'the parcel has no address',
    });
    expect(catalog).toStrictEqual({
      PARCEL_LOST: 'the parcel was lost',
      NO_ADDRESS: 'the parcel has no address',
    });
    expect(Object.isFrozen(catalog)).toBe(true);
    expectTypeOf<keyof typeof catalog>().toEqualTypeOf<'PARCEL_LOST' | 'NO_ADDRESS'>();
    expectTypeOf(catalog.PARCEL_LOST).toEqualTypeOf<'the parcel was lost'>();
  });

  it('keeps what entries carry beside their description, frozen too', () => {
    const catalog = defineErrorCatalog('http errors', {
      TEAPOT: { status: 418, description: 'I am a teapot.' },
    });
    expect(catalog.TEAPOT.status).toBe(418);
    expect(Object.isFrozen(catalog.TEAPOT)).toBe(true);
    expectTypeOf(catalog.TEAPOT.status).toEqualTypeOf<418>();
  });

  it('takes numeric codes when asked, typed as numbers', () => {
    const catalog = defineErrorCatalog(
      'confluent errors',
      {
        404: { status: 404, description: 'no such endpoint' },
        40401: { status: 404, description: 'subject not found' },
      },
      { codes: 'numeric' },
    );
    expect(Object.keys(catalog)).toStrictEqual(['404', '40401']);
    expectTypeOf<keyof typeof catalog>().toEqualTypeOf<404 | 40401>();
  });

  it('refuses a code not of the catalog form, naming the catalog and the code', () => {
    for (const code of ['lower', 'Mixed_Case', '_LEADING', 'TRAILING_', 'DOUBLE__UNDERSCORE', '1ST', '404']) {
      expect(() => defineErrorCatalog('parcel rejections', { [code]: 'a description' }), code).toThrow(
        `parcel rejections: the code '${code}' is not UPPER_SNAKE`,
      );
    }
    for (const code of ['NOT_FOUND', '0404', '4.04']) {
      expect(
        () => defineErrorCatalog('confluent errors', { [code]: 'x' }, { codes: 'numeric' }),
        code,
      ).toThrow(`confluent errors: the code '${code}' is not numeric`);
    }
  });

  it('refuses an empty or missing description', () => {
    expect(() => defineErrorCatalog('parcel rejections', { OK: 'fine', EMPTY: '' })).toThrow(
      'parcel rejections: EMPTY has no description',
    );
    expect(() => defineErrorCatalog('parcel rejections', { BLANK: '  ' })).toThrow(
      'BLANK has no description',
    );
    expect(() => defineErrorCatalog('http errors', { TEAPOT: { status: 418, description: '' } })).toThrow(
      'http errors: TEAPOT has no description',
    );
    const noDescription = { TEAPOT: { status: 418 } } as unknown as Record<string, string>;
    expect(() => defineErrorCatalog('http errors', noDescription)).toThrow(
      'http errors: TEAPOT has no description',
    );
  });

  it('refuses a description of more than one line', () => {
    expect(() => defineErrorCatalog('parcel rejections', { LOST: 'the parcel\nwas lost' })).toThrow(
      'parcel rejections: the description of LOST is more than one line',
    );
    expect(() =>
      defineErrorCatalog('http errors', { TEAPOT: { status: 418, description: 'I am\r\na teapot' } }),
    ).toThrow('http errors: the description of TEAPOT is more than one line');
  });

  it('accepts an empty catalog', () => {
    expect(defineErrorCatalog('no rejections', {})).toStrictEqual({});
  });
});
