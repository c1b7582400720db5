/**
 * Feeds many mutations of each source format's fixtures to its parser: every one must end in a
 * successful parse or a DcgridError that names the file (and, where the bad input is a cell, its
 * line, row or JSON position) in a one-line message. Never another exception, never a hang.
 * The counts by outcome are printed, for the issue's closing note.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DcgridError } from '../lib/errors.js';
import { csoSource } from './cso/index.js';
import { dashboardSource } from './dashboard/index.js';
import { eirgridWorkbookSource } from './eirgrid-workbook/index.js';
import { emberSource } from './ember/index.js';
import { semopxSource } from './semopx/index.js';
import { telemetrySource } from './telemetry/index.js';
import { workbookFixtureBytes, workbookParts } from './test-support/workbook-variant.js';
import { buildZip } from './xlsx/zip-writer.js';

const MUTATIONS_PER_SEED = 100;
const PER_PARSE_TIMEOUT_MS = 20_000;

/** A small deterministic generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (text: string, pick: (n: number) => number) => string | Buffer;

const lines = (text: string) => text.split('\n');
const BAD_NUMBERS = [
  '-99999',
  '99999999',
  '1e309',
  'NaN',
  'Infinity',
  '-1e12',
  '',
  'n/a',
  '0x1F',
  '١٢٣',
  '1,5',
  '--3',
];

/** Text-level mutations: what a broken export, a hand edit or a wrong tool does to a file. */
const TEXT_MUTATIONS: Record<string, Mutation> = {
  truncate: (t, pick) => t.slice(0, pick(t.length)),
  'empty file': () => '',
  'header only': (t) => `${lines(t)[0]}\n`,
  'drop a line': (t, pick) => {
    const l = lines(t);
    l.splice(pick(l.length), 1);
    return l.join('\n');
  },
  'repeat a line': (t, pick) => {
    const l = lines(t);
    const i = pick(l.length);
    l.splice(i, 0, l[i]!);
    return l.join('\n');
  },
  'swap lines (out of order)': (t, pick) => {
    const l = lines(t);
    const [i, j] = [1 + pick(l.length - 1), 1 + pick(l.length - 1)];
    [l[i], l[j]] = [l[j]!, l[i]!];
    return l.join('\n');
  },
  'wrong delimiter': (t, pick) => t.replaceAll(',', [';', '\t', '|'][pick(3)]!),
  'bad number': (t, pick) => {
    const numbers = [...t.matchAll(/-?\d+\.\d+|\b\d{2,5}\b/g)];
    if (numbers.length === 0) return t;
    const m = numbers[pick(numbers.length)]!;
    return t.slice(0, m.index) + BAD_NUMBERS[pick(BAD_NUMBERS.length)]! + t.slice(m.index + m[0].length);
  },
  'garbled date': (t, pick) => {
    const dates = [...t.matchAll(/\d{4}-\d{2}-\d{2}|\d{2}-[A-Z][a-z]{2}-\d{4}/g)];
    if (dates.length === 0) return t;
    const m = dates[pick(dates.length)]!;
    const garbled = ['2024-13-45', '31-Feb-2024', '0000-00-00', 'yesterday', '2024/01/01', '99-Xyz-2024'][
      pick(6)
    ]!;
    return t.slice(0, m.index) + garbled + t.slice(m.index + m[0].length);
  },
  'duplicated header': (t) => {
    const [head, ...rest] = lines(t);
    return [head, head, ...rest].join('\n');
  },
  'duplicated header column': (t) => {
    const [head = '', ...rest] = lines(t);
    const first = head.split(',')[0] ?? '';
    return [`${head},${first}`, ...rest].join('\n');
  },
  'stray quote': (t, pick) => {
    const at = pick(t.length);
    return `${t.slice(0, at)}"${t.slice(at)}`;
  },
  'CRLF and BOM': (t) => `\ufeff${t.replaceAll('\n', '\r\n')}`,
  'huge line': (t, pick) => {
    const l = lines(t);
    l.splice(pick(l.length), 0, 'x,'.repeat(200_000));
    return l.join('\n');
  },
  'UTF-16 with BOM': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'UTF-16 without BOM': (t) => Buffer.from(t, 'utf16le'),
  'Latin-1 byte': (t, pick) => {
    const bytes = Buffer.from(t);
    bytes[pick(bytes.length)] = 0xe9;
    return bytes;
  },
  'binary garbage': (_t, pick) => {
    const r = random(pick(1_000_000));
    return Buffer.from(Array.from({ length: 2 + pick(4000) }, () => Math.floor(r() * 256)));
  },
  'flip bytes': (t, pick) => {
    const bytes = Buffer.from(t);
    for (let k = 0; k < 1 + pick(8); k++) bytes[pick(bytes.length)] = pick(256);
    return bytes;
  },
  'zip that is not the file': () => buildZip([{ name: 'readme.txt', data: 'not what was expected' }]),
};

interface Seed {
  name: string;
  /** File name the mutated copy is written under (sources read periods and formats from names). */
  fileName: string;
  text: string;
  parse: (path: string) => Promise<unknown>;
}

const fixture = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');

const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

async function withTimeout<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: no answer in ${PER_PARSE_TIMEOUT_MS} ms`)),
      PER_PARSE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses one mutated file; returns a problem description, or undefined when the outcome is clean. */
async function check(
  seed: Seed,
  kind: string,
  path: string,
  displayName: string,
): Promise<string | undefined> {
  try {
    await withTimeout(seed.parse(path), `${seed.name} / ${kind}`);
    count(`${seed.name}: parsed`);
    return undefined;
  } catch (error) {
    if (!(error instanceof DcgridError)) {
      return `${seed.name} / ${kind}: not a DcgridError: ${error instanceof Error ? error.stack : String(error)}`;
    }
    count(`${seed.name}: refused ${error.code}`);
    count(`class ${kind}: refused`);
    if (error.location.file === undefined || !error.message.includes(displayName)) {
      return `${seed.name} / ${kind}: the error does not name the file: ${error.message}`;
    }
    const { line, row, entry } = error.location;
    const aboutACell = ['E_VALUE_INVALID', 'E_DUPLICATE_CONFLICT', 'E_REGION_UNKNOWN'].includes(error.code);
    if (aboutACell && line === undefined && row === undefined && entry === undefined) {
      return `${seed.name} / ${kind}: ${error.code} without a line, row or JSON position: ${error.message}`;
    }
    if (/[\n\r\0]/.test(error.message))
      return `${seed.name} / ${kind}: a message of several lines: ${JSON.stringify(error.message)}`;
    if (error.message.length > 1000)
      return `${seed.name} / ${kind}: a message of ${error.message.length} characters`;
    return undefined;
  }
}

describe('parsers under malformed input (fuzz)', () => {
  let dir = '';
  const seeds: Seed[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dcgrid-fuzz-'));
    const parseWith = (adapter: { parse: (p: string) => Promise<unknown> }) => (p: string) =>
      adapter.parse(p);
    seeds.push(
      {
        name: 'dashboard CSV',
        fileName: 'ROI_demandactual_23_Eirgrid.csv',
        text: await fixture('./dashboard/fixtures/ROI_demandactual_23_fixture.csv'),
        parse: parseWith(dashboardSource),
      },
      {
        name: 'dashboard API JSON',
        fileName: 'generation.json',
        text: JSON.stringify({
          Rows: Array.from({ length: 8 }, (_, i) => ({
            EffectiveTime: `04-Jun-2025 0${Math.floor(i / 4)}:${String((i % 4) * 15).padStart(2, '0')}:00`,
            FieldName: 'GEN_EXP',
            Region: 'ROI',
            Value: 2180 + i,
          })),
        }),
        parse: parseWith(dashboardSource),
      },
      {
        name: 'Ember CSV',
        fileName: 'Ireland.csv',
        text: await fixture('./ember/fixtures/Ireland-sample.csv'),
        parse: parseWith(emberSource),
      },
      {
        name: 'SEMOpx table',
        fileName: 'semopx_day_ahead_index_prices_sample.csv',
        text: await fixture('./semopx/fixtures/semopx_day_ahead_index_prices_sample.csv'),
        parse: parseWith(semopxSource),
      },
      {
        name: 'SEMOpx report CSV',
        fileName: 'MarketResult_SEM-DA_PWR-MRC-D+1_20251025110000_20251025110512.csv',
        text: await fixture(
          './semopx/fixtures/MarketResult_SEM-DA_PWR-MRC-D+1_20251025110000_20251025110512.csv',
        ),
        parse: parseWith(semopxSource),
      },
      {
        name: 'SEMOpx report JSON',
        fileName: 'MarketResult_SEM-DA_PWR-MRC-D+1_20251201110000_20251201110440.json',
        text: await fixture(
          './semopx/fixtures/MarketResult_SEM-DA_PWR-MRC-D+1_20251201110000_20251201110440.json',
        ),
        parse: parseWith(semopxSource),
      },
      {
        name: 'CSO MEC02',
        fileName: 'MEC02.csv',
        text: await fixture('./cso/fixtures/MEC02-sample.csv'),
        parse: parseWith(csoSource),
      },
      {
        name: 'telemetry CSV',
        fileName: 'dc-load.csv',
        text: await fixture('./telemetry/fixtures/dc-load-sample.csv'),
        parse: parseWith(telemetrySource),
      },
    );
  });

  it('refuses or reads every mutation of every text format cleanly', async () => {
    const problems: string[] = [];
    const kinds = Object.keys(TEXT_MUTATIONS);
    let n = 0;
    for (const [s, seed] of seeds.entries()) {
      const pick = (() => {
        const r = random(1000 + s);
        return (m: number) => Math.floor(r() * Math.max(1, m));
      })();
      for (let i = 0; i < MUTATIONS_PER_SEED; i++) {
        const kind = kinds[i % kinds.length]!;
        const mutated = TEXT_MUTATIONS[kind]!(seed.text, pick);
        const path = join(dir, `${n++}`);
        await import('node:fs/promises').then((fs) => fs.mkdir(path));
        const file = join(path, seed.fileName);
        await writeFile(file, mutated);
        const problem = await check(seed, kind, file, file);
        if (problem !== undefined) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('refuses or reads every mutation of a workbook cleanly (bytes, XML and cells)', async () => {
    const parts = await workbookParts();
    const original = await workbookFixtureBytes();
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    const rebuild = (xml: string) =>
      buildZip(
        [...parts].map(([name, data]) => ({ name, data: name === 'xl/worksheets/sheet1.xml' ? xml : data })),
      );
    const pick = (() => {
      const r = random(77);
      return (m: number) => Math.floor(r() * Math.max(1, m));
    })();
    const cellTexts = [...sheet.matchAll(/<v>([^<]*)<\/v>|<t>([^<]*)<\/t>/g)];
    const mutations: Record<string, () => Buffer | string> = {
      'truncated zip': () => original.subarray(0, pick(original.length)),
      'flipped zip bytes': () => {
        const bytes = Buffer.from(original);
        for (let k = 0; k < 1 + pick(6); k++) bytes[pick(bytes.length)] = pick(256);
        return bytes;
      },
      'empty file': () => Buffer.alloc(0),
      'zip that is not a workbook': () => buildZip([{ name: 'data.csv', data: 'a,b\n1,2\n' }]),
      'truncated sheet XML': () => rebuild(sheet.slice(0, pick(sheet.length))),
      'garbage in sheet XML': () => {
        const at = pick(sheet.length);
        return rebuild(`${sheet.slice(0, at)}<<&${sheet.slice(at)}`);
      },
      'bad cell value': () => {
        const m = cellTexts[pick(cellTexts.length)]!;
        const replacement = [...BAD_NUMBERS, 'IE Demnad', 'DateTme', 'Comments', '2024-03-31 01:30'][
          pick(BAD_NUMBERS.length + 4)
        ]!;
        const inner = m[0].startsWith('<v>') ? `<v>${replacement}</v>` : `<t>${replacement}</t>`;
        return rebuild(sheet.slice(0, m.index) + inner + sheet.slice(m.index + m[0].length));
      },
      'rows out of order': () => {
        const rows = [...sheet.matchAll(/<row [^>]*>.*?<\/row>/g)];
        const [a, b] = [rows[1 + pick(rows.length - 1)]!, rows[1 + pick(rows.length - 1)]!];
        if (a.index === b.index) return rebuild(sheet);
        const [first, second] = a.index < b.index ? [a, b] : [b, a];
        return rebuild(
          sheet.slice(0, first.index) +
            second[0] +
            sheet.slice(first.index + first[0].length, second.index) +
            first[0] +
            sheet.slice(second.index + second[0].length),
        );
      },
    };
    const problems: string[] = [];
    const kinds = Object.keys(mutations);
    const seed: Seed = {
      name: 'workbook',
      fileName: 'System-Data-Qtr-Hourly-2024.xlsx',
      text: '',
      parse: (p) => eirgridWorkbookSource.parse(p),
    };
    for (let i = 0; i < 120; i++) {
      const kind = kinds[i % kinds.length]!;
      const file = join(dir, `workbook-${i}.xlsx`);
      await writeFile(file, mutations[kind]!());
      const problem = await check(seed, kind, file, file);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('prints how many cases were tried and refused, by class', () => {
    const rows = [...outcomes].sort(([a], [b]) => a.localeCompare(b));
    console.log(`fuzz outcomes:\n${rows.map(([key, n]) => `  ${key}: ${n}`).join('\n')}`);
    expect(rows.length).toBeGreaterThan(0);
  });
});
