import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { cacheKey, cachedBody } from './cache.js';

const request = (url: string, method = 'GET') => ({ url, method }) as FastifyRequest;

describe('response cache keys and bodies', () => {
  it('gives the same key to the same query in any order, and different keys to different ones', () => {
    const a = cacheKey(request('/api/forecast?target=demand_mw&region=IE'));
    expect(cacheKey(request('/api/forecast?region=IE&target=demand_mw'))).toBe(a);
    // Asked again: the remembered key is the same.
    expect(cacheKey(request('/api/forecast?target=demand_mw&region=IE'))).toBe(a);
    expect(cacheKey(request('/api/forecast?region=NI&target=demand_mw'))).not.toBe(a);
    expect(cacheKey(request('/api/forecast?target=demand_mw&region=IE', 'HEAD'))).not.toBe(a);
    expect(cacheKey(request('/api/forecast?target=demand_mw&region=IE'), '|csv')).toBe(`${a}|csv`);
  });

  it('tags a body with a strong ETag of its bytes', () => {
    const one = cachedBody({ x: 1 });
    expect(one.body).toBe('{"x":1}');
    expect(one.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(cachedBody('{"x":1}').etag).toBe(one.etag);
    expect(cachedBody({ x: 2 }).etag).not.toBe(one.etag);
  });
});
