import { createHash } from 'node:crypto';

/**
 * Seedable pseudo-random source (mulberry32). Tests pass a seed so boot ids,
 * host keys and ids are reproducible; the CLI seeds from the clock.
 */
export class Rng {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hashToInt(seed);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  hex(n: number): string {
    return this.bytes(Math.ceil(n / 2))
      .toString('hex')
      .slice(0, n);
  }

  /** Lowercase v4 UUID, the shape of /proc/sys/kernel/random/boot_id. */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A child generator, so adding a node does not shift every other node's values. */
  fork(label: string): Rng {
    return new Rng(hashToInt(`${this.state}:${label}`));
  }
}

export function hashToInt(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** Stable hex digest of a string, for values that must not change between runs. */
export function stableHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
