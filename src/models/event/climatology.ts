/**
 * `eventclim`: the climatology baseline of the event classifiers. P(event) of an hour is the event
 * rate of its Irish local hour of day and month in the training window, shrunk towards the month's
 * rate (and that towards the overall rate) where a cell has few hours, so a thin cell does not read
 * 0 or 1. It ignores the recent history: any skill a classifier shows over it comes from the data.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import type {
  FitOptions,
  FitReport,
  Forecast,
  Forecaster,
  HourlyFrame,
  ModelDescription,
  ModelFiles,
  TrainingData,
} from '../types.js';
import { checkEventTarget, checkHorizon, decodeJson, encodeJson, eventForecast } from './shared.js';

export const EVENT_CLIMATOLOGY = 'eventclim';
const CONFIG_FILE = 'eventclim.json';
const FORMAT = 'dcgrid-eventclim-1';
/** Pseudo-hours of the coarser rate each cell is shrunk towards. */
const PRIOR_HOURS = 10;

interface Config {
  format: typeof FORMAT;
  target: string;
  region: string;
  horizon: number;
  /** rates[month * 24 + hour]: P(event), month 0..11 and hour 0..23 in Irish local time. */
  rates: number[];
  overallRate: number;
  hours: number;
  trainedFrom: number;
  trainedTo: number;
}

export class EventClimatology implements Forecaster {
  readonly name = EVENT_CLIMATOLOGY;
  #config: Config | undefined;

  static fromFiles(files: ModelFiles): EventClimatology {
    const model = new EventClimatology();
    model.#config = decodeJson<Config>(files, CONFIG_FILE, EVENT_CLIMATOLOGY, FORMAT);
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    checkHorizon(options.horizon);
    const { frame, target } = data;
    const y = checkEventTarget(frame, target, this.name);
    const cellEvents = new Float64Array(12 * 24);
    const cellHours = new Float64Array(12 * 24);
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (Number.isNaN(v)) continue;
      const { month, hour } = irishCalendar(frame.ts[i]!);
      cellEvents[month * 24 + hour]! += v;
      cellHours[month * 24 + hour]!++;
    }
    const sum = (a: Float64Array, from = 0, to = a.length) => a.subarray(from, to).reduce((s, v) => s + v, 0);
    const hours = sum(cellHours);
    const overallRate = sum(cellEvents) / hours;
    const rates: number[] = [];
    for (let month = 0; month < 12; month++) {
      const monthRate =
        (sum(cellEvents, month * 24, month * 24 + 24) + PRIOR_HOURS * overallRate) /
        (sum(cellHours, month * 24, month * 24 + 24) + PRIOR_HOURS);
      for (let hour = 0; hour < 24; hour++) {
        const c = month * 24 + hour;
        rates.push((cellEvents[c]! + PRIOR_HOURS * monthRate) / (cellHours[c]! + PRIOR_HOURS));
      }
    }
    this.#config = {
      format: FORMAT,
      target,
      region: data.region,
      horizon: options.horizon,
      rates,
      overallRate,
      hours,
      trainedFrom: frame.ts[0]!,
      trainedTo: frame.ts[frame.ts.length - 1]!,
    };
    options.onProgress?.({ step: 1, totalSteps: 1, metrics: { event_rate: overallRate } });
    return {
      steps: 1,
      bestStep: 1,
      metrics: { event_rate: overallRate, hours },
      curve: [],
      seconds: (performance.now() - started) / 1000,
    };
  }

  #require(): Config {
    if (this.#config === undefined) {
      throw new DcgridError(ErrorCodes.MODEL, `The ${this.name} model is not fitted; call fit() or load it.`);
    }
    return this.#config;
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const config = this.#require();
    checkHorizon(options.horizon);
    if (history.ts.length === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const origin = history.ts[history.ts.length - 1]! + HOUR_MS;
    const probability = Float64Array.from({ length: options.horizon }, (_, h) => {
      const { month, hour } = irishCalendar(origin + h * HOUR_MS);
      return config.rates[month * 24 + hour]!;
    });
    return eventForecast(history, probability, options.quantiles);
  }

  async save(): Promise<ModelFiles> {
    return { [CONFIG_FILE]: encodeJson(this.#require()) };
  }

  describe(): ModelDescription {
    const config = this.#require();
    return {
      model: this.name,
      target: config.target,
      region: config.region as Region,
      horizon: config.horizon,
      contextLength: 0,
      quantiles: [0.1, 0.5, 0.9],
      features: ['month', 'hour'],
      params: { priorHours: PRIOR_HOURS },
      trainedFrom: config.trainedFrom,
      trainedTo: config.trainedTo,
      details: { kind: 'event probability', overallRate: config.overallRate, trainingHours: config.hours },
    };
  }

  dispose(): void {
    // Plain JS data: nothing to free.
  }
}
