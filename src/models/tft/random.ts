/**
 * Seeded pseudo-random numbers for weight initialisation, window shuffling and dropout masks.
 * TensorFlow.js's own initialisers draw from a global generator; drawing everything here makes
 * "same seed → same weights → same forecast" hold no matter what else the process did before.
 */

/** mulberry32: a small, fast 32-bit generator with a full 2^32 period. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds (1, 2, 3...) give unrelated streams.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Fills `out` with an inverted-dropout mask: `scale` with probability `keep`, else 0. Each 32-bit
   * draw decides two entries (16 bits each, so `keep` is rounded to a multiple of 1/65536); the
   * generator step is inlined because this runs over millions of entries per training step.
   */
  fillMask(out: Float32Array, keep: number, scale: number): void {
    const threshold = Math.round(keep * 65536);
    let state = this.state;
    const draw = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    };
    const n = out.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const r = draw();
      out[i] = (r & 0xffff) < threshold ? scale : 0;
      out[i + 1] = r >>> 16 < threshold ? scale : 0;
    }
    if (i < n) out[i] = (draw() & 0xffff) < threshold ? scale : 0;
    this.state = state;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A seed for a child generator (so that one stream does not shift another). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

/** Glorot (Xavier) uniform values: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(rng: Rng, count: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}
