/**
 * What a capacity-planning study is: one region and period, replayed on stored history, with one or
 * more scenarios of added data-centre load compared side by side against the baseline. One schema
 * validates the CLI's study files and the API's request bodies; an error names the field.
 */
import { z } from 'zod';
import { REGIONS } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';

/** A study may replay at most this much history (a few years of hours stays well under a second). */
export const MAX_STUDY_DAYS = 3 * 366;
export const MAX_SCENARIOS = 10;
export const FLEX_OBJECTIVES = ['stress', 'price', 'carbon'] as const;

const instant = z.iso
  .datetime({ offset: true, local: false })
  .or(z.iso.date())
  .transform((v) => Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v))
  .refine((ms) => ms % HOUR_MS === 0, 'must be the start of a UTC hour');

const flat = z.object({ kind: z.literal('flat') }).strict();

const diurnal = z
  .object({
    kind: z.literal('diurnal'),
    /** 24 relative levels by UTC hour; rescaled to mean 1 so the size stays the mean load. */
    shape: z
      .array(z.number().nonnegative())
      .length(24)
      .refine((s) => s.some((x) => x > 0), 'must have a level above 0')
      .optional(),
  })
  .strict();

const flexible = z
  .object({
    kind: z.literal('flexible'),
    /** Share of each hour's load that can move to another hour of the same UTC day. */
    share: z.number().min(0).max(1),
    /** Hours the load may move, earlier or later (within its UTC day, so 24 means anywhere in the day). */
    maxShiftH: z.number().int().min(1).max(24),
    /** What the site moves away from. */
    objective: z.enum(FLEX_OBJECTIVES).default('stress'),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** Mean added data-centre load, MW. */
    addMw: z.number().positive().max(20_000),
    profile: z.discriminatedUnion('kind', [flat, diurnal, flexible]).default({ kind: 'flat' }),
    /** Load grows linearly from 0 at `from` to addMw at `to`; before `from` nothing is added. */
    rampIn: z.object({ from: instant, to: instant }).strict().optional(),
  })
  .strict()
  .refine((s) => !s.rampIn || s.rampIn.from <= s.rampIn.to, {
    message: 'rampIn.to must not be before rampIn.from',
    path: ['rampIn', 'to'],
  });

export const studySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    region: z.enum(REGIONS),
    from: instant,
    to: instant,
    scenarios: z.array(scenarioSchema).min(1).max(MAX_SCENARIOS),
  })
  .strict()
  .refine((s) => s.to > s.from, { message: 'must be after from', path: ['to'] })
  .refine((s) => s.to - s.from <= MAX_STUDY_DAYS * 24 * HOUR_MS, {
    message: `the period may be at most ${MAX_STUDY_DAYS} days`,
    path: ['to'],
  })
  .refine((s) => new Set(s.scenarios.map((x) => x.name)).size === s.scenarios.length, {
    message: 'scenario names must be unique',
    path: ['scenarios'],
  });

export type ScenarioDefinition = z.output<typeof scenarioSchema>;
export type StudyDefinition = z.output<typeof studySchema>;
/** A study as written (dates as text), e.g. in a file or a request body. */
export type StudyInput = z.input<typeof studySchema>;

/** The path of an issue as the user wrote it: `scenarios[1].profile.share`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** Validates a study; the error names the first bad field and why (E_CONFIG_INVALID: exit 2, HTTP 400). */
export function parseStudy(input: unknown, where = 'study'): StudyDefinition {
  const result = studySchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldPath(issue.path) || '(the study)';
  throw new DcgridError(ErrorCodes.CONFIG_INVALID, `${where}: ${field}: ${issue.message}`);
}
