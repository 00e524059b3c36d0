import { describe, expect, it } from 'vitest';
import { STATE_ERRORS, StateError } from './stateError.js';

describe('StateError', () => {
  it('carries its stable code, and every code has a summary', () => {
    for (const code of Object.keys(STATE_ERRORS) as (keyof typeof STATE_ERRORS)[]) {
      const error = new StateError(code, 'detail');
      expect(error.code).toBe(code);
      expect(STATE_ERRORS[code].length).toBeGreaterThan(0);
      expect(error.message).toBe(`${STATE_ERRORS[code]}: detail`);
      expect(error).toBeInstanceOf(Error);
    }
  });
});
