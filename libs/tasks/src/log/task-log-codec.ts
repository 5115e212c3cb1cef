/**
 * Compact per-line metadata of a log chunk: 8 bytes of base time (epoch ms), then one unsigned varint
 * per line holding `(msSincePreviousLine << 2) | stream`. Most lines cost one byte, which keeps logs
 * near their raw text size on disk.
 */
export type LogStream = 'out' | 'err' | 'sys';

const STREAM_CODES: Record<LogStream, number> = { out: 0, err: 1, sys: 2 };
const STREAM_NAMES: LogStream[] = ['out', 'err', 'sys'];

export interface LogLineMeta {
  stream: LogStream;
  ts: number;
}

export function encodeLogMeta(lines: readonly LogLineMeta[]): Buffer {
  return encodeLogMetaArrays(
    lines.map((l) => STREAM_CODES[l.stream]),
    lines.map((l) => l.ts),
  );
}

export const streamCode = (stream: LogStream): number => STREAM_CODES[stream];

/**
 * The same encoding from two flat arrays (stream codes, epoch ms): the log writer keeps a line's
 * metadata as two numbers rather than an object, which matters at a million lines per task.
 */
export function encodeLogMetaArrays(streams: readonly number[], times: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(8 + streams.length * 6);
  const base = times.length ? times[0] : 0;
  out.writeDoubleBE(base, 0);
  let pos = 8;
  let prev = base;
  for (let i = 0; i < streams.length; i++) {
    const ts = times[i];
    const delta = Math.max(0, Math.round(ts - prev));
    prev = Math.max(prev, ts);
    // Plain arithmetic, not bit shifts: deltas may exceed 2^29 ms (a task idle for a week).
    let v = delta * 4 + streams[i];
    while (v >= 0x80) {
      out[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[pos++] = v;
  }
  return out.subarray(0, pos);
}

export function decodeLogMeta(meta: Buffer, count: number): LogLineMeta[] {
  const lines = new Array<LogLineMeta>(count);
  let ts = meta.length >= 8 ? meta.readDoubleBE(0) : 0;
  let pos = 8;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let mul = 1;
    let b: number;
    do {
      b = meta[pos++] ?? 0;
      v += (b & 0x7f) * mul;
      mul *= 0x80;
    } while (b & 0x80);
    ts += Math.floor(v / 4);
    lines[i] = { stream: STREAM_NAMES[v % 4] ?? 'out', ts };
  }
  return lines;
}
