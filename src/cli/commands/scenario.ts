import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { StudyInput } from '../../scenarios/definition.js';
import type { ScenarioSummary } from '../../scenarios/evaluate.js';
import type { StudyResults } from '../../scenarios/study.js';
import { runCommand, type CommandContext } from '../context.js';
import { listOption } from '../options.js';

interface RunOptions {
  file?: string;
  name?: string;
  from?: string;
  to?: string;
  addMw?: string;
  profile?: string;
  share?: string;
  maxShiftH?: string;
  objective?: string;
  rampFrom?: string;
  rampTo?: string;
  csv?: string;
  hourlyCsv?: string;
  sourcesCsv?: string;
}

const PROFILES = ['flat', 'diurnal', 'flexible'] as const;
const OBJECTIVES = 'stress | price | carbon';
// The replay's modules load when a scenario command runs, not when `dcgrid --help` lists commands.
const scenarios = async () => ({
  ...(await import('../../scenarios/definition.js')),
  ...(await import('../../scenarios/export.js')),
  ...(await import('../../scenarios/study.js')),
});

/** A number as the user wrote it, or a usage error naming the flag. */
function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `${flag}: "${value}" is not a number`);
  }
  return n;
}

/** The study the flags describe: one scenario per profile listed, all of the same size. */
function studyFromFlags(options: RunOptions, region: string): StudyInput {
  if (options.from === undefined || options.to === undefined || options.addMw === undefined) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      'scenario run needs --file STUDY.json, or --from, --to and --add-mw (see `dcgrid scenario run --help`)',
    );
  }
  const addMw = numberFlag(options.addMw, '--add-mw')!;
  const profiles = listOption(options.profile) ?? ['flat'];
  const rampIn =
    options.rampFrom !== undefined || options.rampTo !== undefined
      ? { from: options.rampFrom ?? options.from, to: options.rampTo ?? options.rampFrom ?? options.from }
      : undefined;
  const scenarios = profiles.map((kind) => {
    if (!(PROFILES as readonly string[]).includes(kind)) {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `--profile: "${kind}" is not one of ${PROFILES.join(', ')}`,
      );
    }
    const profile =
      kind === 'flexible'
        ? {
            kind,
            share: numberFlag(options.share ?? '0.2', '--share'),
            maxShiftH: numberFlag(options.maxShiftH ?? '12', '--max-shift-h'),
            objective: options.objective ?? 'stress',
          }
        : { kind };
    return { name: `+${addMw} MW ${kind}`, addMw, profile, ...(rampIn ? { rampIn } : {}) };
  });
  return {
    name: options.name ?? `+${addMw} MW in ${region}`,
    region: region as StudyInput['region'],
    from: options.from,
    to: options.to,
    scenarios: scenarios as StudyInput['scenarios'],
  };
}

async function studyFromFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `--file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `--file ${file}: not JSON (${(error as Error).message})`,
    );
  }
}

const round = (x: number | null, digits = 2): number | null =>
  x === null ? null : Number(x.toFixed(digits));

function summaryRow(s: ScenarioSummary): Record<string, string | number | null> {
  return {
    scenario: s.name,
    'hours >= thr': s.hoursAboveThreshold,
    high: s.bandHours.high,
    critical: s.bandHours.critical,
    'stress P50': round(s.stressP50),
    P90: round(s.stressP90),
    P99: round(s.stressP99),
    'peak net load MW': round(s.peakNetLoadMw, 0),
    'energy MWh': round(s.addedEnergyMwh, 0),
    'cost EUR': round(s.costEur, 0),
    'EUR/MWh': round(s.avgPriceEurMwh),
    tCO2: round(s.carbonT, 0),
    'shifted MWh': s.flex ? round(s.flex.shiftedMwh, 0) : null,
    'saved EUR': s.flex ? round(s.flex.savedCostEur, 0) : null,
  };
}

function printResults(ctx: CommandContext, title: string, results: StudyResults): void {
  ctx.out.info(title);
  ctx.out.info(
    `period with data ${results.covered.from} .. ${results.covered.to}; alert threshold ${results.alertThreshold} (STRESS_ALERT_THRESHOLD)`,
  );
  ctx.out.table([results.baseline, ...results.scenarios].map((o) => summaryRow(o.summary)));
  const inputs = results.inputs;
  if (inputs === undefined || inputs.horizonHours === 0) return;
  ctx.out.info(
    `${inputs.horizonHours} h of the period are on the forecast horizon (observed data end at ${inputs.observedTo}); inputs by source:`,
  );
  for (const [input, spans] of Object.entries(inputs.sources)) {
    const parts = new Map<string, number>();
    for (const s of spans) {
      const key =
        s.source === 'forecast' ? `forecast (${s.model} v${s.version}, origin ${s.origin})` : s.source;
      parts.set(key, (parts.get(key) ?? 0) + s.hours);
    }
    ctx.out.info(`  ${input}: ${[...parts].map(([k, h]) => `${h} h ${k}`).join(', ')}`);
  }
  if (inputs.tight) {
    ctx.out.info(
      '  with the forecast inputs at their stress-raising quantiles (demand P90, wind and solar P10, price and CO2 P90):',
    );
    for (const t of inputs.tight) {
      ctx.out.info(
        `    ${t.name}: ${t.hoursAboveThreshold} h >= threshold, stress P99 ${round(t.stressP99) ?? '-'}, peak net load ${round(t.peakNetLoadMw, 0) ?? '-'} MW`,
      );
    }
  }
  const check = inputs.stressForecast;
  if (check && check.meanAbsDiff !== null) {
    ctx.out.info(
      `  baseline stress recomputed from these inputs vs the stress_score champion's forecast (${check.model} v${check.version}), ${check.hours} h: ` +
        `mean |difference| ${check.meanAbsDiff.toFixed(2)}` +
        (check.withinP10P90 === null
          ? ''
          : `, ${(check.withinP10P90 * 100).toFixed(0)} % of hours inside its P10-P90`),
    );
  }
}

async function writeOut(ctx: CommandContext, file: string | undefined, text: () => string, what: string) {
  if (file === undefined) return;
  await writeFile(file, text());
  ctx.out.info(`${what} written to ${file}`);
}

export function registerScenario(program: Command): void {
  const scenario = program
    .command('scenario')
    .description(
      'capacity planning: replay stored history or the forecast horizon with added data-centre load (docs/SCENARIOS.md)',
    );
  scenario
    .command('run')
    .description(
      'replay a period of stored history (or of the forecast horizon, after the last observed hour) for the region ' +
        'with added data-centre load, beside the baseline: ' +
        'stress bands, hours above the alert threshold, peak net load, stress P50/P90/P99, energy, cost, carbon; stored for later',
    )
    .option('--file <study.json>', 'a study with several scenarios (format: docs/SCENARIOS.md)')
    .option('--name <text>', 'the study name')
    .option('--from <date>', 'start of the period (UTC date or date-time)')
    .option('--to <date>', 'end of the period, exclusive')
    .option('--add-mw <mw>', 'added mean load, MW')
    .option('--profile <list>', `one scenario per profile listed: ${PROFILES.join(', ')}`, 'flat')
    .option('--share <0..1>', 'flexible: share of each hour that can move (default 0.2)')
    .option('--max-shift-h <h>', 'flexible: how many hours load may move within its day, 1-24 (default 12)')
    .option('--objective <what>', `flexible: move away from high ${OBJECTIVES} (default stress)`)
    .option('--ramp-from <date>', 'the load starts ramping in here (default: full from the start)')
    .option('--ramp-to <date>', 'and is at full size from here')
    .option('--csv <file>', 'write the side-by-side summary as CSV')
    .option('--hourly-csv <file>', 'write the hourly replay (added MW, net load, stress per scenario) as CSV')
    .option(
      '--sources-csv <file>',
      'write which hours of which input came from observations, forecasts or the fallback',
    )
    .action((options: RunOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        const { parseStudy, runStudy, summaryCsv, hourlyCsv, sourcesCsv } = await scenarios();
        const input =
          options.file !== undefined
            ? await studyFromFile(options.file)
            : studyFromFlags(options, ctx.config.REGION);
        const study = parseStudy(input, options.file ?? 'scenario');
        const store = await ctx.store();
        const task = ctx.progress.task('scenario', 1, 'studies');
        const {
          study: saved,
          outcome,
          seconds,
        } = await runStudy(store, study, {
          weights: ctx.config.STRESS_WEIGHTS,
          alertThreshold: ctx.config.STRESS_ALERT_THRESHOLD,
        });
        task.done(`${outcome.ts.length} hours in ${seconds.toFixed(2)} s`);
        await writeOut(ctx, options.csv, () => summaryCsv(saved.results), 'summary');
        await writeOut(ctx, options.hourlyCsv, () => hourlyCsv(outcome), 'hourly replay');
        await writeOut(ctx, options.sourcesCsv, () => sourcesCsv(saved.results), 'input sources');
        ctx.out.result({ ...saved, seconds }, () => {
          printResults(
            ctx,
            `study ${saved.id} "${saved.name}" (${saved.region}), ${seconds.toFixed(2)} s`,
            saved.results,
          );
          ctx.out.info(`reopen it with \`dcgrid scenario show ${saved.id}\``);
        });
      }),
    );
  scenario
    .command('list')
    .description('the stored studies, newest first')
    .action((_options: unknown, command: Command) =>
      runCommand(command, async (ctx) => {
        const { listStudies } = await scenarios();
        const rows = await listStudies(await ctx.store());
        ctx.out.result(rows, () => {
          if (rows.length === 0) ctx.out.info('no studies yet: `dcgrid scenario run --help`');
          else ctx.out.table(rows);
        });
      }),
    );
  scenario
    .command('show <id>')
    .description('a stored study with its results')
    .option('--csv <file>', 'write the side-by-side summary as CSV')
    .option(
      '--sources-csv <file>',
      'write which hours of which input came from observations, forecasts or the fallback',
    )
    .action((id: string, options: { csv?: string; sourcesCsv?: string }, command: Command) =>
      runCommand(command, async (ctx) => {
        const n = Number(id);
        if (!Number.isInteger(n) || n < 1) {
          throw new DcgridError(ErrorCodes.CONFIG_INVALID, `scenario show: "${id}" is not a study id`);
        }
        const { getStudy, summaryCsv, sourcesCsv } = await scenarios();
        const study = await getStudy(await ctx.store(), n);
        await writeOut(ctx, options.csv, () => summaryCsv(study.results), 'summary');
        await writeOut(ctx, options.sourcesCsv, () => sourcesCsv(study.results), 'input sources');
        ctx.out.result(study, () =>
          printResults(
            ctx,
            `study ${study.id} "${study.name}" (${study.region}), made ${study.createdAt}`,
            study.results,
          ),
        );
      }),
    );
}
