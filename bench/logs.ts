// Log ingestion: one task whose command prints 1,000,000 lines. Reports lines persisted per second,
// the worker's peak RSS, and how far a live SSE reader of the log lags behind.
//   npm run bench:logs [-- --lines 1000000 --smoke]
import {
  Pvefleet,
  SMOKE,
  arg,
  fleetTask,
  printTable,
  registerNodes,
  requireBuild,
  rssSampler,
  runBench,
  startServices,
  startSimulatorProcess,
  stopProc,
  waitStopped,
} from './lib/harness';

/** Reads the task's live log over SSE; returns the lines seen and the worst lag behind the worker. */
async function followLog(p: Pvefleet, upid: string): Promise<{ lines: number; maxLagMs: number; ended: boolean }> {
  const res = await fetch(`${p.url}/tasks/${encodeURIComponent(upid)}/log/stream`, { headers: { Authorization: `Bearer ${p.token}` } });
  const decoder = new TextDecoder();
  let buffer = '';
  let lines = 0;
  let maxLagMs = 0;
  let ended = false;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let at: number;
    const now = Date.now();
    while ((at = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (block.startsWith('event: end')) ended = true;
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data || block.startsWith('event:')) continue;
      const line = JSON.parse(data) as { ts: number };
      lines++;
      maxLagMs = Math.max(maxLagMs, now - line.ts);
    }
  }
  return { lines, maxLagMs, ended };
}

runBench(async () => {
  requireBuild();
  const count = arg('lines', SMOKE ? 20_000 : 1_000_000);
  const services = await startServices('pvefleet_bench_logs');
  const sim = await startSimulatorProcess(['--standalone', '1', '--no-control']);
  const p = await Pvefleet.start(services, { workers: 1 });
  try {
    await registerNodes(p, sim);
    const worker = p.workers[0].child.pid;
    const rss = rssSampler(worker, 50);
    const [upid] = await fleetTask(p, {
      selector: { all: true },
      type: 'exec',
      params: { argv: ['seq', '1', String(count)], readOnly: true },
    });
    const reader = followLog(p, upid);
    const done = await waitStopped(services.pool, [upid], 600_000, 50);
    const peakRss = rss.stop();
    const sse = await reader;
    if (done.ok !== 1) throw new Error(`the task failed: ${done.errors.join('; ')}`);
    const { rows } = await services.pool.query<{ ms: number; lines: number; bytes: string; text: string }>(
      `SELECT extract(epoch FROM end_time - started_at) * 1000 AS ms, log_lines AS lines,
              (SELECT pg_total_relation_size('task_log_chunk'))::text AS bytes,
              (SELECT sum(octet_length(text))::text FROM task_log_chunk WHERE task_id = task.id) AS text
         FROM task WHERE upid = $1`,
      [upid],
    );
    const r = rows[0];
    const rate = Math.round(r.lines / (r.ms / 1000));
    printTable(`one task printing ${count.toLocaleString('en')} lines (seq), 1 worker`, [
      {
        'log lines': r.lines,
        'task s': r.ms / 1000,
        'lines/s persisted': rate,
        'worker peak RSS MiB': Math.round(peakRss),
        'SSE lines read': sse.lines,
        'SSE max lag s': sse.maxLagMs / 1000,
        'table bytes/line': Number(r.bytes) / r.lines,
        'raw text bytes/line': Number(r.text) / r.lines,
      },
    ]);
    if (sse.lines !== r.lines || !sse.ended) throw new Error(`the SSE reader saw ${sse.lines} of ${r.lines} lines (ended: ${sse.ended})`);
    console.log(
      `\nlog ingestion: ${rate.toLocaleString('en')} lines/s persisted (target >= 200,000), worker peak RSS ${Math.round(peakRss)} MiB (target < 150), SSE lag max ${(sse.maxLagMs / 1000).toFixed(2)} s (target < 2)`,
    );
  } finally {
    if (process.env.BENCH_GC)
      console.log(
        p.workers[0].output
          .join('')
          .split('\n')
          .filter((l) => /Scavenge|Mark/.test(l))
          .filter((_, i, a) => i % Math.ceil(a.length / 25) === 0)
          .join('\n'),
      );
    await p.stop();
    await stopProc(sim.child);
    await services.stop();
  }
});
