import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from './progress.js';

function capture() {
  const lines: string[] = [];
  const stream = {
    isTTY: false,
    write: (chunk: string) => {
      lines.push(...chunk.split('\n').filter((l) => l.length > 0));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { lines, stream };
}

describe('line progress (files, pipes, --json)', () => {
  afterEach(() => vi.useRealTimers());

  it('prints a status line whenever nothing was printed for the heartbeat, with counts and an ETA', () => {
    vi.useFakeTimers({ now: 0 });
    const { lines, stream } = capture();
    const progress = createProgress({ enabled: true, stream, heartbeatSeconds: 8, now: Date.now });
    const steps = progress.task('pipeline', 4, 'steps');
    const fit = progress.task('fit', 25, 'epochs');
    vi.advanceTimersByTime(5000);
    expect(lines).toEqual([]);
    fit.update(5);
    vi.advanceTimersByTime(3000);
    expect(lines).toEqual(['  ... 8s: pipeline 0/4 steps | fit 5/25 epochs, ETA 32s']);
    fit.done('best epoch 20');
    expect(lines[1]).toBe('fit: best epoch 20 (8s)');
    steps.update(1, 'train/dc_load_mw/tft');
    // Quiet for a long time: a line at least every heartbeat (+ the 1 s tick), never a gap of 10 s.
    vi.advanceTimersByTime(60_000);
    const beats = lines.slice(2);
    expect(beats.length).toBeGreaterThanOrEqual(6);
    expect(beats.at(-1)).toBe('  ... 1m04s: pipeline 1/4 steps (train/dc_load_mw/tft), ETA 3m12s');
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines.slice(2 + beats.length)).toEqual([]);
  });

  it('prints nothing when disabled (--no-progress)', () => {
    vi.useFakeTimers({ now: 0 });
    const { lines, stream } = capture();
    const progress = createProgress({ enabled: false, stream, now: Date.now });
    const task = progress.task('ingest', 3);
    vi.advanceTimersByTime(60_000);
    task.done('ok');
    expect(lines).toEqual([]);
  });
});
