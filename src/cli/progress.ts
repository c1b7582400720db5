/**
 * Progress on long CLI work (download, parse, write, train), on stderr. On a terminal: bars with
 * an ETA. Elsewhere (a file, a pipe, CI, --json): a line when a task finishes, and a status line
 * whenever nothing has been printed for `heartbeatSeconds`, so a log never goes quiet for long.
 */
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { formatDuration, formatEta } from './duration.js';

export interface ProgressTask {
  update(done: number, label?: string): void;
  setTotal(total: number): void;
  increment(by?: number, label?: string): void;
  done(summary?: string): void;
}

export interface TaskOptions {
  /** false: no ETA (a count of unlike steps says nothing about the time left). */
  eta?: boolean;
}

export interface Progress {
  task(name: string, total: number, unit?: string, options?: TaskOptions): ProgressTask;
  stop(): void;
}

export interface ProgressOptions {
  enabled: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Line mode: longest quiet spell before a status line (default 8 s, so a line at least every 10 s). */
  heartbeatSeconds?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled) return { task: () => silentTask, stop: () => undefined };
  if (stream.isTTY) return barProgress(stream as NodeJS.WriteStream, options.now ?? Date.now);
  const heartbeat = options.heartbeatSeconds ?? 8;
  return new LineProgress(
    stream,
    heartbeat,
    options.now ?? Date.now,
    stream === process.stderr ? startBusyWatch(heartbeat + 1) : undefined,
  );
}

const silentTask: ProgressTask = {
  update: () => undefined,
  setTotal: () => undefined,
  increment: () => undefined,
  done: () => undefined,
};

function barProgress(stream: NodeJS.WriteStream, now: () => number): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: ' {name} |{bar}| {percentage}% {value}/{total} {unit} {eta} | {label}',
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    task(name, total, unit = '', taskOptions = {}) {
      const started = now();
      let done = 0;
      let all = Math.max(total, 1);
      const bar = multi.create(all, 0, { name: name.padEnd(10), unit, label: '', eta: '' });
      const eta = () => (taskOptions.eta === false ? '' : formatEta(done, all, (now() - started) / 1000));
      return {
        update: (value, label) => {
          done = value;
          bar.update(value, { eta: eta(), ...(label !== undefined ? { label } : {}) });
        },
        setTotal: (t) => {
          all = Math.max(t, 1);
          bar.setTotal(all);
        },
        increment: (by = 1, label) => {
          done += by;
          bar.increment(by, { eta: eta(), ...(label !== undefined ? { label } : {}) });
        },
        done: (summary) => {
          bar.update(bar.getTotal(), {
            eta: `in ${formatDuration((now() - started) / 1000)}`,
            label: summary ?? 'done',
          });
          bar.stop();
        },
      };
    },
    stop: () => multi.stop(),
  };
}

class LineTask implements ProgressTask {
  readonly started: number;
  doneCount = 0;
  label = '';

  constructor(
    private readonly owner: LineProgress,
    readonly name: string,
    public total: number,
    readonly unit: string,
    private readonly withEta: boolean,
  ) {
    this.started = owner.now();
  }

  update(done: number, label?: string): void {
    this.doneCount = done;
    if (label !== undefined) this.label = label;
    this.owner.changed();
  }

  setTotal(total: number): void {
    this.total = total;
    this.owner.changed();
  }

  increment(by = 1, label?: string): void {
    this.update(this.doneCount + by, label);
  }

  done(summary?: string): void {
    this.owner.finish(this, summary);
  }

  /** "fit 12/25 epochs (label), ETA 40s" */
  describe(withEta = this.withEta): string {
    const count = this.total > 1 ? ` ${this.doneCount}/${this.total}${this.unit ? ` ${this.unit}` : ''}` : '';
    const label = this.label ? ` (${this.label})` : '';
    const eta = withEta
      ? formatEta(this.doneCount, this.total, (this.owner.now() - this.started) / 1000)
      : '';
    return `${this.name}${count}${label}${eta ? `, ${eta}` : ''}`;
  }
}

class LineProgress implements Progress {
  private readonly active = new Set<LineTask>();
  private readonly started: number;
  private lastWrite: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly heartbeatSeconds: number,
    readonly now: () => number,
    private readonly busyWatch: BusyWatch | undefined,
  ) {
    this.started = now();
    this.lastWrite = this.started;
  }

  task(name: string, total: number, unit = '', options: TaskOptions = {}): ProgressTask {
    const task = new LineTask(this, name, total, unit, options.eta !== false);
    this.active.add(task);
    this.timer ??= setInterval(() => this.beat(), 1000).unref();
    this.changed();
    return task;
  }

  finish(task: LineTask, summary: string | undefined): void {
    if (!this.active.delete(task)) return;
    this.write(`${task.name}: ${summary ?? 'done'} (${formatDuration((this.now() - task.started) / 1000)})`);
    this.changed();
  }

  /** Tells the busy watch what is under way (no ETA: it would go stale while the thread is busy). */
  changed(): void {
    this.busyWatch?.status(
      this.started,
      [...this.active].map((t) => t.describe(false)).join(' | '),
      this.lastWrite,
    );
  }

  /** A status line of everything under way, when nothing was printed for a while. */
  beat(): void {
    if (this.active.size === 0) return;
    if (this.now() - this.lastWrite < this.heartbeatSeconds * 1000) return;
    const elapsed = formatDuration((this.now() - this.started) / 1000);
    this.write(`  ... ${elapsed}: ${[...this.active].map((t) => t.describe()).join(' | ')}`);
  }

  private write(line: string): void {
    this.lastWrite = this.now();
    this.stream.write(`${line}\n`);
    this.busyWatch?.wrote(this.lastWrite);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.active.clear();
    this.busyWatch?.stop();
  }
}

interface BusyWatch {
  status(started: number, text: string, lastWrite: number): void;
  wrote(at: number): void;
  stop(): void;
}

/**
 * Model training runs long synchronous stretches (a wasm batch, a native boosting round) during
 * which this thread's timers cannot fire. A small worker thread, with its own event loop, writes
 * the last known status straight to stderr (fd 2) when the main thread has printed nothing for
 * `quietSeconds`.
 */
function startBusyWatch(quietSeconds: number): BusyWatch | undefined {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const { writeSync } = require('node:fs');
    const formatDuration = ${formatDuration.toString()};
    let started = Date.now(), text = '', lastWrite = Date.now();
    parentPort.on('message', (m) => {
      if (m.kind === 'status') { started = m.started; text = m.text; lastWrite = Math.max(lastWrite, m.lastWrite); }
      else if (m.kind === 'wrote') lastWrite = Math.max(lastWrite, m.at);
    });
    setInterval(() => {
      if (!text || Date.now() - lastWrite < ${quietSeconds * 1000}) return;
      lastWrite = Date.now();
      try { writeSync(2, '  ... ' + formatDuration((lastWrite - started) / 1000) + ': ' + text + '\\n'); } catch {}
    }, 1000);
  `;
  let worker: Worker;
  try {
    worker = new Worker(source, { eval: true, stdout: false, stderr: false });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('error', () => undefined);
  return {
    status: (started, text, lastWrite) => worker.postMessage({ kind: 'status', started, text, lastWrite }),
    wrote: (at) => worker.postMessage({ kind: 'wrote', at }),
    stop: () => void worker.terminate(),
  };
}
