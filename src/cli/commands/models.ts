/** `dcgrid models list|promote|rollback`: the model registry from the command line. */
import type { Command } from 'commander';
import { REGIONS, type Config } from '../../config/config.js';
import { checkTarget } from '../options.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { AliasChange, ModelVersionRecord } from '../../registry/types.js';
import { runCommand, type CommandContext } from '../context.js';
import { versionJson, type ModelVersionJson } from '../../registry/version-json.js';
import { fromStoreOrApi, getFromApi } from '../via-api.js';
import type { Cell } from '../output.js';

interface ListOptions {
  target?: string;
  model?: string;
  allRegions?: boolean;
}

/** --target, or the one target of TARGETS; a change to the registry must name what it changes. */
function targetFor(config: Config, target: string | undefined): string {
  if (target !== undefined) return checkTarget(target);
  if (config.TARGETS.length === 1) return config.TARGETS[0]!;
  throw new DcgridError(
    ErrorCodes.CONFIG_INVALID,
    `--target is required (TARGETS lists ${config.TARGETS.join(', ')})`,
  );
}

async function registryOf(ctx: CommandContext) {
  const { openRegistry } = await import('../../registry/open.js');
  return openRegistry(ctx.config, await ctx.store());
}

function parseVersion(text: string): number {
  const version = Number(text.replace(/^v/, ''));
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `version "${text}" is not a whole number from 1`);
  }
  return version;
}

/** Newest registration first (ties: the higher version). */
export function newestFirst(versions: ModelVersionRecord[]): ModelVersionRecord[] {
  return [...versions].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.version - a.version);
}

function describeChange(change: AliasChange): string {
  const series = `${change.region}/${change.target}`;
  const now = `${change.champion.model} v${change.champion.version}`;
  if (!change.changed) return `${series}: ${change.reason}`;
  const before = change.previous
    ? ` (was ${change.previous.model} v${change.previous.version}, now ${change.previous.alias})`
    : '';
  return `${series}: champion is now ${now}${before}\n${change.reason}`;
}

export function registerModelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description('the model registry: versions, the champion of each target, promotion and rollback');

  models
    .command('list')
    .description('registered versions, newest first, with their role and promotion metric')
    .option('--target <target>', 'only this target')
    .option('--model <model>', 'only this model (xgb, tft, ...)')
    .option('--all-regions', 'every region, not only --region / REGION')
    .action((options: ListOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        const target = options.target !== undefined ? checkTarget(options.target) : undefined;
        const versions = await fromStoreOrApi(
          ctx,
          async () => {
            const registry = await registryOf(ctx);
            const records = await registry.list({
              ...(options.allRegions ? {} : { region: ctx.config.REGION }),
              ...(target !== undefined ? { target } : {}),
              ...(options.model !== undefined ? { model: options.model } : {}),
            });
            return newestFirst(records).map(versionJson);
          },
          async (serverUrl) => {
            const regions = options.allRegions ? REGIONS : [ctx.config.REGION];
            const answers = await Promise.all(
              regions.map(async (region) => {
                const query = new URLSearchParams({ region, ...(target !== undefined ? { target } : {}) });
                return (await getFromApi(serverUrl, `/api/models?${query}`)) as {
                  versions: ModelVersionJson[];
                };
              }),
            );
            return answers
              .flatMap((a) => a.versions)
              .filter((v) => options.model === undefined || v.model === options.model)
              .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version);
          },
        );
        const metric = ctx.config.PROMOTION_METRIC;
        ctx.out.result(versions, () => {
          ctx.out.table(
            versions.map((v): Record<string, Cell> => ({
              region: v.region,
              target: v.target,
              model: v.model,
              version: v.version,
              alias: v.alias,
              [metric]: v.metrics[metric] ?? null,
              created: new Date(v.createdAt),
              run: v.runId?.slice(0, 8) ?? null,
            })),
          );
        });
      }),
    );

  models
    .command('promote <model> <version>')
    .description('make a registered version champion of its target (the old champion becomes challenger)')
    .option('--target <target>', 'the target (default: the only one in TARGETS)')
    .option('--reason <text>', 'why, for the history', 'promoted by hand')
    .action(
      (model: string, version: string, options: { target?: string; reason: string }, command: Command) =>
        runCommand(command, async (ctx) => {
          const registry = await registryOf(ctx);
          const change = await registry.promote(
            {
              region: ctx.config.REGION,
              target: targetFor(ctx.config, options.target),
              model,
              version: parseVersion(version),
            },
            options.reason,
          );
          ctx.out.result(change, () => ctx.out.info(describeChange(change)));
        }),
    );

  models
    .command('rollback')
    .description('put the previous champion back (the current one is retired)')
    .option('--target <target>', 'the target (default: the only one in TARGETS)')
    .action((options: { target?: string }, command: Command) =>
      runCommand(command, async (ctx) => {
        const registry = await registryOf(ctx);
        const change = await registry.rollback({
          region: ctx.config.REGION,
          target: targetFor(ctx.config, options.target),
        });
        ctx.out.result(change, () => ctx.out.info(describeChange(change)));
      }),
    );
}
