import { describe, expect, it } from 'vitest';
import { ApiError } from './apiErrors.js';
import { afterParam, atParam, DEFAULT_PAGE, idParam, limitParam, MAX_PAGE } from './queryParams.js';

/** The ApiError `fn` throws, as its JSON body plus status. */
function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    const error = err as ApiError;
    return { status: error.status, ...error.toJSON() };
  }
  throw new Error('expected an ApiError');
}

describe('afterParam', () => {
  it('is undefined when absent', () => {
    expect(afterParam(undefined)).toBeUndefined();
  });

  it('parses a position token', () => {
    expect(afterParam('stock.events:2:41')).toStrictEqual({
      topic: 'stock.events',
      partition: 2,
      offset: 41,
    });
  });

  it.each([['latest'], ['stock.events:2'], ['stock.events:x:1'], [''], [['stock.events:2:41', 'x:1:2']]])(
    'refuses %j with INVALID_POSITION naming after',
    (value) => {
      expect(refusal(() => afterParam(value))).toMatchObject({
        status: 400,
        code: 'INVALID_POSITION',
        field: 'after',
      });
    },
  );
});

describe('limitParam', () => {
  it(`is ${DEFAULT_PAGE} when absent`, () => {
    expect(limitParam(undefined)).toBe(DEFAULT_PAGE);
  });

  it('takes an integer from 1 to the maximum', () => {
    expect(limitParam('1')).toBe(1);
    expect(limitParam('07')).toBe(7);
    expect(limitParam(String(MAX_PAGE))).toBe(MAX_PAGE);
  });

  it.each([
    ['0'],
    [String(MAX_PAGE + 1)],
    ['-1'],
    ['1.5'],
    ['1e2'],
    [' 5'],
    ['ten'],
    [''],
    [['5', '6']],
    [5],
  ])('refuses %j with INVALID_REQUEST naming limit', (value) => {
    expect(refusal(() => limitParam(value))).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
      field: 'limit',
    });
  });
});

describe('atParam', () => {
  it('is undefined when absent', () => {
    expect(atParam(undefined)).toBeUndefined();
  });

  it('takes a version', () => {
    expect(atParam('0')).toStrictEqual({ version: 0 });
    expect(atParam('3')).toStrictEqual({ version: 3 });
  });

  it('takes an ISO 8601 time or date', () => {
    expect(atParam('2025-01-15T09:30:00.123Z')).toStrictEqual({ time: Date.UTC(2025, 0, 15, 9, 30, 0, 123) });
    expect(atParam('2025-01-15T10:30:00+01:00')).toStrictEqual({ time: Date.UTC(2025, 0, 15, 9, 30) });
    expect(atParam('2025-01-15')).toStrictEqual({ time: Date.UTC(2025, 0, 15) });
  });

  it.each([
    ['yesterday'],
    ['2025-13-45'],
    ['15/01/2025'],
    ['Jan 15 2025'],
    ['-3'],
    ['3.5'],
    [''],
    ['1234567890123456'],
    [['3', '4']],
  ])('refuses %j with INVALID_REQUEST naming at', (value) => {
    expect(refusal(() => atParam(value))).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
      field: 'at',
    });
  });
});

describe('idParam', () => {
  it('passes an id the rules allow', () => {
    for (const id of ['victim', 'a/b:c', '😀', 'x'.repeat(200)]) expect(idParam(id, 'id')).toBe(id);
  });

  it.each([[''], ['victim\u00001'], ['\u007f'], ['x'.repeat(201)], ['\ud800'], [['a', 'b']]])(
    'refuses %j with INVALID_ID naming the field',
    (value) => {
      expect(refusal(() => idParam(value as string, 'accountId'))).toMatchObject({
        status: 400,
        code: 'INVALID_ID',
        field: 'accountId',
        message: expect.stringMatching(/^accountId: an aggregate id must/),
      });
    },
  );
});
