import { describe, expect, it } from 'vitest';
import { findNonJson } from './plainJson.js';

describe('findNonJson', () => {
  it('accepts plain JSON data', () => {
    expect(
      findNonJson({ a: [1, 'x', true, null, { b: -0.5 }], c: Object.create(null) as object }),
    ).toBeUndefined();
  });

  it('points at what JSON would lose', () => {
    expect(findNonJson({ a: new Map() })).toBe('$.a is a Map, not a plain object');
    expect(findNonJson({ a: [1, new Date(0)] })).toBe('$.a[1] is a Date, not a plain object');
    expect(findNonJson({ a: undefined })).toBe('$.a is undefined');
    expect(findNonJson({ a: 1n })).toBe('$.a is bigint');
    expect(findNonJson({ a: NaN })).toBe('$.a is NaN');
    expect(findNonJson({ a: () => 1 })).toBe('$.a is function');
  });
});
