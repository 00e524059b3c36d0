import { describe, expect, it } from 'vitest';
import { logFormat } from './cliLogger.js';

describe('logFormat', () => {
  it('is pretty on a terminal and JSON otherwise', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ KES_LOG_FORMAT: '' }, true)).toBe('pretty');
  });

  it('is what KES_LOG_FORMAT says, terminal or not', () => {
    expect(logFormat({ KES_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ KES_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('refuses any other KES_LOG_FORMAT, naming the formats', () => {
    expect(() => logFormat({ KES_LOG_FORMAT: 'text' }, true)).toThrow(
      'KES_LOG_FORMAT must be one of json, pretty, got text',
    );
  });
});
