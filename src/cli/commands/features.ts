import { Option, type Command } from 'commander';
import { REGIONS, type Region } from '../../config/config.js';
import { stressEventSettings } from '../../features/stress-events.js';
import { rebuildStress } from '../../ingest/stress-rebuild.js';
import { runCommand } from '../context.js';
import type { ProgressTask } from '../progress.js';

export function registerFeatures(program: Command): void {
  const features = program.command('features').description('work on the stored hourly feature table');
  features
    .command('rebuild-stress')
    .description(
      'recompute stress_score, stress_band, the stress components, stress_partial and the stress-event labels ' +
        '(event_tight, event_snsp, event_price_spike, stress_event) for every stored hour from the stored columns, ' +
        'with the current STRESS_WEIGHTS, STRESS_ALERT_THRESHOLD and STRESS_EVENT_* settings, in one transaction (no raw file is read)',
    )
    .addOption(new Option('--only <region>', 'one region instead of all').choices(REGIONS))
    .action(async (options: { only?: Region }, command: Command) =>
      runCommand(command, async (ctx) => {
        const regions = options.only !== undefined ? [options.only] : REGIONS;
        const store = await ctx.store();
        const task: ProgressTask = ctx.progress.task('stress', regions.length, 'regions');
        const result = await rebuildStress(store, {
          weights: ctx.config.STRESS_WEIGHTS,
          alertThreshold: ctx.config.STRESS_ALERT_THRESHOLD,
          events: stressEventSettings(ctx.config),
          regions,
          signal: ctx.signal,
          onRegion: (region, phase, hours, changed) => {
            if (phase === 'start') task.update(regions.indexOf(region), `${region}: computing`);
            else task.increment(1, `${region}: ${hours} hours, ${changed} changed`);
          },
        });
        task.done(`${result.regions.reduce((n, r) => n + r.changed, 0)} rows changed`);
        ctx.out.result(result, () => {
          if (result.regions.length === 0) ctx.out.info('no stored features: run `dcgrid ingest` first');
          for (const r of result.regions) {
            ctx.out.info(`${r.region}: ${r.hours} hours, ${r.changed} rows changed`);
          }
          ctx.out.info(`stress rebuilt in ${result.seconds.toFixed(1)} s (one transaction)`);
        });
      }),
    );
}
