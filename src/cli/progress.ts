/**
 * Progress bars on long CLI work (download, parse, write, train). On a terminal they draw bars
 * with ETA on stderr; elsewhere (CI, pipes, --json) they print a line when a task finishes.
 */
import cliProgress from 'cli-progress';

export interface ProgressTask {
  update(done: number, label?: string): void;
  setTotal(total: number): void;
  increment(by?: number, label?: string): void;
  done(summary?: string): void;
}

export interface Progress {
  task(name: string, total: number, unit?: string): ProgressTask;
  stop(): void;
}

export function createProgress(options: { enabled: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled || !stream.isTTY) return lineProgress(options.enabled ? stream : undefined);
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      etaBuffer: 50,
      format: ' {name} |{bar}| {percentage}% {value}/{total} {unit} | ETA {eta_formatted} | {label}',
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    task(name, total, unit = '') {
      const bar = multi.create(Math.max(total, 1), 0, { name: name.padEnd(10), unit, label: '' });
      return {
        update: (done, label) => bar.update(done, label !== undefined ? { label } : {}),
        setTotal: (t) => bar.setTotal(Math.max(t, 1)),
        increment: (by = 1, label) => bar.increment(by, label !== undefined ? { label } : {}),
        done: (summary) => {
          bar.update(bar.getTotal(), { label: summary ?? 'done' });
          bar.stop();
        },
      };
    },
    stop: () => multi.stop(),
  };
}

function lineProgress(stream: NodeJS.WriteStream | undefined): Progress {
  return {
    task(name) {
      const started = Date.now();
      return {
        update: () => undefined,
        setTotal: () => undefined,
        increment: () => undefined,
        done: (summary) =>
          stream?.write(`${name}: ${summary ?? 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
      };
    },
    stop: () => undefined,
  };
}
