// The fan-out benchmark's tables: every run, the targets from the benchmark issue, and how busy the
// simulator was (it must not be what limits anyone).

export type Tool = 'pvefleet' | 'bare ssh2 loop' | 'parallel-ssh' | 'ansible raw';

export interface Measurement {
  tool: Tool;
  /** new: every exec opens its connection; kept: connections left open by the run before. */
  conns: 'new' | 'kept';
  n: number;
  f: number;
  ok: number;
  wallS: number;
  cpuS: number;
  /** Postgres + Redis, for pvefleet. */
  servicesCpuS?: number;
  simCpuS: number;
  /** Set by `medians`: the fastest and slowest of the repeated runs, and how many. */
  range?: { min: number; max: number; runs: number };
}

/** One row per (tool, conns, N, F): the run with the median wall time, with the spread of all. */
export function medians(runs: Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const r of runs) {
    const k = `${r.tool}/${r.conns}/${r.n}/${r.f}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const sorted = [...g].sort((a, b) => a.wallS - b.wallS);
    return {
      ...sorted[Math.floor((sorted.length - 1) / 2)],
      range: { min: sorted[0].wallS, max: sorted[sorted.length - 1].wallS, runs: g.length },
    };
  });
}

const find = (ms: Measurement[], tool: Tool, n: number, f: number, conns: 'new' | 'kept' = 'new') =>
  ms.find((m) => m.tool === tool && m.n === n && m.f === f && m.conns === conns);

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '-');

export function resultRows(ms: Measurement[]): Record<string, string | number>[] {
  return ms.map((m) => {
    const pssh = find(ms, 'parallel-ssh', m.n, m.f);
    const bare = find(ms, 'bare ssh2 loop', m.n, m.f);
    return {
      tool: m.tool,
      conns: m.conns,
      N: m.n,
      F: m.f,
      ok: `${m.ok}/${m.n}`,
      'wall s': m.wallS,
      'wall range': m.range && m.range.runs > 1 ? `${m.range.min.toFixed(2)}-${m.range.max.toFixed(2)}` : '',
      'CPU s': m.cpuS,
      'pg+redis CPU s': m.servicesCpuS === undefined ? '-' : m.servicesCpuS.toFixed(2),
      'wall ÷ pssh': ratio(m.wallS, pssh?.wallS),
      'wall ÷ bare': ratio(m.wallS, bare?.wallS),
      'CPU ÷ pssh': ratio(m.cpuS, pssh?.cpuS),
      'CPU ÷ bare': ratio(m.cpuS, bare?.cpuS),
      'sim busy %': Math.round((m.simCpuS / m.wallS) * 100),
      'sim ms/exec': m.ok ? ((m.simCpuS / m.ok) * 1000).toFixed(2) : '-',
    };
  });
}

interface Target {
  what: string;
  value: number | undefined;
  ok: (v: number) => boolean;
  goal: string;
}

/** The issue's targets, per (N, F): cold against parallel-ssh, the bare loop and Ansible; warm against parallel-ssh. */
export function targetRows(ms: Measurement[]): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const pairs = [...new Set(ms.filter((m) => m.tool === 'pvefleet').map((m) => `${m.n}/${m.f}`))];
  for (const pair of pairs) {
    const [n, f] = pair.split('/').map(Number);
    const cold = find(ms, 'pvefleet', n, f)?.wallS;
    const warm = find(ms, 'pvefleet', n, f, 'kept')?.wallS;
    const pssh = find(ms, 'parallel-ssh', n, f)?.wallS;
    const bare = find(ms, 'bare ssh2 loop', n, f)?.wallS;
    const ansible = find(ms, 'ansible raw', n, f)?.wallS;
    const targets: Target[] = [
      { what: 'cold: pvefleet ÷ parallel-ssh', value: cold && pssh && cold / pssh, ok: (v) => v < 1, goal: '< 1' },
      { what: 'cold: pvefleet ÷ bare loop', value: cold && bare && cold / bare, ok: (v) => v <= 2, goal: '≤ 2' },
      { what: 'cold: ansible ÷ pvefleet', value: cold && ansible && ansible / cold, ok: (v) => v >= 5, goal: '≥ 5' },
      { what: 'warm: parallel-ssh ÷ pvefleet', value: warm && pssh && pssh / warm, ok: (v) => v >= 5, goal: '≥ 5' },
    ];
    for (const t of targets) {
      if (t.value === undefined) continue;
      rows.push({ N: n, F: f, target: t.what, goal: t.goal, measured: t.value.toFixed(2), '': t.ok(t.value) ? 'met' : 'MISSED' });
    }
  }
  return rows;
}

/**
 * The simulator's exec round trips per second of its own CPU, per client (one Node thread: it cannot
 * go faster than this on one core; OpenSSH clients and Ansible's wrapper cost it more per exec than
 * ssh2 clients do), and how busy it was in its busiest run with that client.
 */
export function simulatorRows(ms: Measurement[]): Record<string, string | number>[] {
  const keys = [...new Set(ms.map((m) => `${m.tool}/${m.conns}`))];
  return keys.flatMap((key) => {
    const runs = ms.filter((m) => `${m.tool}/${m.conns}` === key && m.simCpuS > 0);
    if (!runs.length) return [];
    const execs = runs.reduce((s, m) => s + m.ok, 0);
    const cpu = runs.reduce((s, m) => s + m.simCpuS, 0);
    const busiest = runs.reduce((a, b) => (b.simCpuS / b.wallS > a.simCpuS / a.wallS ? b : a));
    return [
      {
        client: runs[0].tool,
        connections: runs[0].conns,
        'sim CPU ms/exec': ((cpu / execs) * 1000).toFixed(2),
        'sim capacity exec/s': Math.round(execs / cpu),
        'busiest run': `${Math.round((busiest.simCpuS / busiest.wallS) * 100)}% busy at ${Math.round(busiest.ok / busiest.wallS)} exec/s (N=${busiest.n} F=${busiest.f})`,
      },
    ];
  });
}

/** The last line: the biggest fan-out at the highest parallelism. */
export function headline(ms: Measurement[]): string {
  const n = Math.max(...ms.map((m) => m.n));
  const f = Math.max(...ms.filter((m) => m.n === n).map((m) => m.f));
  const cold = find(ms, 'pvefleet', n, f);
  const warm = find(ms, 'pvefleet', n, f, 'kept');
  const bare = find(ms, 'bare ssh2 loop', n, f);
  const pssh = find(ms, 'parallel-ssh', n, f);
  const ansible = find(ms, 'ansible raw', n, f);
  const parts = [`pvefleet cold ${cold?.wallS.toFixed(2)} s`];
  if (pssh && cold) parts.push(`${(pssh.wallS / cold.wallS).toFixed(2)}× faster than parallel-ssh (${pssh.wallS.toFixed(2)} s)`);
  if (bare && cold) parts.push(`${(cold.wallS / bare.wallS).toFixed(2)}× the bare ssh2 loop (${bare.wallS.toFixed(2)} s)`);
  if (ansible && cold) parts.push(`${(ansible.wallS / cold.wallS).toFixed(1)}× faster than Ansible raw (${ansible.wallS.toFixed(2)} s)`);
  if (warm)
    parts.push(`warm ${warm.wallS.toFixed(2)} s${pssh ? ` = ${(pssh.wallS / warm.wallS).toFixed(1)}× faster than parallel-ssh` : ''}`);
  return `headline: ${n} nodes, F=${f}: ${parts.join('; ')}`;
}
