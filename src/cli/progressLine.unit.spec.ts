import { describe, expect, it } from 'vitest';
import { screen } from '../../test/support/terminal.js';
import { formatProgress, progressLine, type ProgressStream } from './progressLine.js';

/** A stream that keeps what is written to it, a terminal or not. */
function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { text: string } {
  return {
    isTTY,
    ...(columns !== undefined ? { columns } : {}),
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('formatProgress', () => {
  it('says count, total, percent and rate when the total is known', () => {
    expect(formatProgress('replaying', 25, 200, 5_000)).toBe('replaying 25/200 (12.5%) 5.0/s');
    expect(formatProgress('replaying', 200, 200, 4_000)).toBe('replaying 200/200 (100.0%) 50/s');
    expect(formatProgress('replaying', 0, 0, 0)).toBe('replaying 0/0 (100.0%) 0.0/s');
  });

  it('says count and rate when it is not', () => {
    expect(formatProgress('producing', 12, undefined, 2_000)).toBe('producing 12 6.0/s');
  });
});

describe('progressLine', () => {
  it('redraws one line in place on a terminal, at most every interval, and ends it when done', () => {
    const stream = fakeStream(true);
    const out = fakeStream(false);
    const t = clock();
    const progress = progressLine('producing', 3, { stream, out, intervalMs: 100, now: t.now });
    t.advance(1_000);
    progress.update(1);
    t.advance(10);
    progress.update(2); // within the interval: not drawn
    expect(stream.text).toBe('\r\x1b[Kproducing 1/3 (33.3%) 1.0/s');
    t.advance(100);
    progress.update(3);
    progress.done();
    progress.update(9); // after done: ignored
    expect(screen(stream.text)).toEqual(['producing 3/3 (100.0%) 2.7/s']);
    expect(stream.text.endsWith('\n')).toBe(true);
    expect(stream.text.match(/\r/g)).toHaveLength(3);
  });

  it('draws nothing, and prints output unchanged, when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const out = fakeStream(false);
    const progress = progressLine('replaying', 2, { stream, out });
    progress.update(1);
    progress.print('{"n":1}');
    progress.update(2);
    progress.print('{"n":2}');
    progress.done();
    expect(stream.text).toBe('');
    expect(out.text).toBe('{"n":1}\n{"n":2}\n');
  });

  it('keeps stdout lines whole on a redirected stdout, the progress on the terminal', () => {
    const stream = fakeStream(true);
    const out = fakeStream(false);
    const progress = progressLine('producing', undefined, { stream, out, intervalMs: 0 });
    for (let n = 1; n <= 3; n++) {
      progress.print(JSON.stringify({ n }));
      progress.update(n);
    }
    progress.done();
    expect(out.text).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(screen(stream.text)).toEqual([expect.stringMatching(/^producing 3 /)]);
  });

  it('erases the progress line before a stdout line on the same terminal and draws it again below', () => {
    // stdout and stderr on one terminal: both write to the same screen.
    const terminal = fakeStream(true);
    const progress = progressLine('producing', 2, { stream: terminal, out: terminal, intervalMs: 0 });
    progress.update(0);
    progress.print('{"n":1}');
    progress.update(1);
    progress.print('{"n":2}');
    progress.update(2);
    progress.done();
    expect(screen(terminal.text)).toEqual([
      '{"n":1}',
      '{"n":2}',
      expect.stringMatching(/^producing 2\/2 \(100\.0%\)/),
    ]);
  });

  it('cuts the line to the terminal width, as a wrapped line cannot be redrawn', () => {
    const stream = fakeStream(true, 12);
    const progress = progressLine('a long label', 1000, { stream, out: fakeStream(false) });
    progress.update(1);
    expect(screen(stream.text)).toEqual(['a long labe']);
  });
});
