import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seededRandom.js';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed, and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect(Array.from({ length: 20 }, () => a.next())).toStrictEqual(
      Array.from({ length: 20 }, () => b.next()),
    );
    expect(draw(1)).not.toStrictEqual(draw(2));
  });

  it('draws integers within bounds, reaching both ends', () => {
    const random = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = random.int(-2, 2);
      expect(n).toBeGreaterThanOrEqual(-2);
      expect(n).toBeLessThanOrEqual(2);
      seen.add(n);
    }
    expect([...seen].sort()).toStrictEqual([-1, -2, 0, 1, 2].sort());
  });

  it('picks from a list, and refuses an empty one', () => {
    expect(['a', 'b']).toContain(new SeededRandom(1).pick(['a', 'b']));
    expect(() => new SeededRandom(1).pick([])).toThrow();
  });
});
