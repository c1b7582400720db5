/**
 * `dcgrid backtest --export FILE`: every forecast a backtest scores, one CSV row per (model,
 * origin, horizon hour), beside the actual, so that a user can score it with any tool.
 * Columns: model, origin, horizon, ts, p10, p50, p90 (or whichever levels were asked), actual.
 * Times are ISO 8601 UTC; a missing actual is an empty field.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { ScoredForecast } from './engine.js';

const levelName = (q: number) => `p${Math.round(q * 100)}`;
const numberField = (v: number) => (Number.isFinite(v) ? String(v) : '');

export function exportHeader(quantiles: readonly number[]): string {
  return ['model', 'origin', 'horizon', 'ts', ...quantiles.map(levelName), 'actual'].join(',') + '\n';
}

/** The CSV rows of one scored forecast (levels in the order of `quantiles`). */
export function exportRows(scored: ScoredForecast, quantiles: readonly number[]): string {
  const { forecast, actual, model } = scored;
  const rows = quantiles.map((q) => {
    const index = forecast.quantiles.findIndex((level) => Math.abs(level - q) < 1e-9);
    return forecast.values[index]!;
  });
  const origin = new Date(forecast.origin).toISOString();
  let text = '';
  for (let h = 0; h < forecast.ts.length; h++) {
    const levels = rows.map((row) => numberField(row[h]!));
    text += `${model},${origin},${h + 1},${new Date(forecast.ts[h]!).toISOString()},${levels.join(',')},${numberField(actual[h]!)}\n`;
  }
  return text;
}

/** A CSV file the backtest's forecasts stream into; `close()` flushes it. */
export class ForecastExport {
  readonly #stream: WriteStream;
  readonly #quantiles: readonly number[];
  readonly #path: string;
  #failure: Error | undefined;
  rows = 0;

  constructor(path: string, quantiles: readonly number[]) {
    if (!/\.csv$/i.test(path)) {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `--export writes CSV; name the file *.csv (got "${path}").`,
      );
    }
    this.#path = path;
    this.#quantiles = quantiles;
    this.#stream = createWriteStream(path, { encoding: 'utf8' });
    this.#stream.on('error', (error) => {
      this.#failure = error;
    });
    this.#stream.write(exportHeader(quantiles));
  }

  async write(scored: ScoredForecast): Promise<void> {
    this.#throwIfFailed();
    this.rows += scored.forecast.ts.length;
    if (!this.#stream.write(exportRows(scored, this.#quantiles))) await once(this.#stream, 'drain');
  }

  async close(): Promise<void> {
    this.#stream.end();
    if (!this.#stream.closed) await once(this.#stream, 'close').catch(() => undefined);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `Cannot write the export file ${this.#path}: ${this.#failure.message}`,
      );
    }
  }
}
