/** Where a progress line is drawn: process.stderr, or a stand-in with the same members. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** The terminal's width; the line is cut to it, as a wrapped line cannot be redrawn in place. */
  readonly columns?: number;
  write(text: string): unknown;
}

/**
 * One line on stderr that says how far a long command is, redrawn in place: `update` with the
 * count done so far, `print` for each line of the command's own output (stdout), `done` at the
 * end. It draws only on a terminal, so a script reading the output gets the same bytes with or
 * without it.
 */
export interface ProgressLine {
  /** The count done so far (not an increment); redraws at most every intervalMs. */
  update(count: number): void;
  /**
   * Writes a line of the command's output to stdout. When stdout is the same terminal, the
   * progress line is erased first and drawn again below it, so the two never share a line.
   */
  print(line: string): void;
  /** Draws the final count and ends the line; later calls do nothing. */
  done(): void;
}

export interface ProgressLineOptions {
  /** Where the line is drawn. Default process.stderr. */
  readonly stream?: ProgressStream;
  /** Where `print` writes. Default process.stdout. */
  readonly out?: ProgressStream;
  /** Milliseconds between redraws at most. Default 100. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const ERASE_LINE = '\r\x1b[K';

/** Whether a progress line would be drawn on this stream (a terminal). */
export function showsProgress(stream: ProgressStream = process.stderr): boolean {
  return stream.isTTY === true;
}

/** `label count/total (percent) rate/s`, or `label count rate/s` when the total is unknown. */
export function formatProgress(label: string, count: number, total: number | undefined, elapsedMs: number) {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? count / seconds : 0;
  const perSecond = `${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`;
  if (total === undefined) return `${label} ${count} ${perSecond}`;
  const percent = total > 0 ? (100 * count) / total : 100;
  return `${label} ${count}/${total} (${percent.toFixed(1)}%) ${perSecond}`;
}

export function progressLine(
  label: string,
  total?: number,
  {
    stream = process.stderr,
    out = process.stdout,
    intervalMs = 100,
    now = Date.now,
  }: ProgressLineOptions = {},
): ProgressLine {
  const shown = showsProgress(stream);
  // Output and progress share the screen when both go to a terminal (the same one, in practice).
  const sharesScreen = shown && out.isTTY === true;
  const started = now();
  let count = 0;
  let drawnAt: number | undefined;
  let finished = false;
  const draw = () => {
    drawnAt = now();
    const text = formatProgress(label, count, total, drawnAt - started);
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : text.length;
    stream.write(`${ERASE_LINE}${text.slice(0, width)}`);
  };
  return {
    update(n) {
      if (finished) return;
      count = n;
      if (!shown) return;
      if (drawnAt === undefined || now() - drawnAt >= intervalMs || n === total) draw();
    },
    print(line) {
      if (sharesScreen && drawnAt !== undefined && !finished) {
        stream.write(ERASE_LINE);
        out.write(`${line}\n`);
        draw();
      } else out.write(`${line}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      if (!shown) return;
      draw();
      stream.write('\n');
    },
  };
}
