import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { buildZip, crc32 } from './zip-writer.js';
import { openZip } from '../../lib/zip-reader.js';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('buildZip', () => {
  const entries = [
    { name: 'a.txt', data: 'hello' },
    { name: 'folder/b.xml', data: '<x>' + 'y'.repeat(10_000) + '</x>' },
    { name: 'näme.txt', data: Buffer.from([0, 1, 2, 255]) },
  ];

  for (const compress of [true, false]) {
    it(`writes an archive yauzl reads back (${compress ? 'deflated' : 'stored'})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dcgrid-zip-'));
      const path = join(dir, 'test.zip');
      await writeFile(path, buildZip(entries, { compress }));
      const zip = await openZip(path);
      try {
        expect(zip.names).toEqual(['a.txt', 'folder/b.xml', 'näme.txt']);
        expect(await text(await zip.open('a.txt'))).toBe('hello');
        expect(await text(await zip.open('folder/b.xml'))).toBe(entries[1]!.data);
        const chunks: Buffer[] = [];
        for await (const chunk of await zip.open('näme.txt')) chunks.push(chunk as Buffer);
        expect([...Buffer.concat(chunks)]).toEqual([0, 1, 2, 255]);
      } finally {
        zip.close();
      }
    });
  }

  it('compresses repetitive text and gives the same bytes for the same input', () => {
    const deflated = buildZip(entries);
    const stored = buildZip(entries, { compress: false });
    expect(deflated.length).toBeLessThan(stored.length / 5);
    expect(buildZip(entries).equals(deflated)).toBe(true);
  });
});
