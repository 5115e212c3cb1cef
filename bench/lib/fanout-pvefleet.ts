// pvefleet's side of the fan-out: one fleet task from the API call until every task is stopped (a
// stopped task has its whole log in Postgres: the completion rides in the same statement as its last
// lines). CPU is the API's plus the worker's; the services' (Postgres, Redis) is reported beside it.
import { cpuSeconds, fleetTask, waitStopped, type Pvefleet, type Services } from './harness';
import { servicePids, treeCpuSeconds } from './fanout-procs';

export interface PvefleetRun {
  ok: number;
  failed: number;
  wallS: number;
  /** API + worker(s). */
  cpuS: number;
  /** Postgres (postmaster and backends) + redis-server. */
  servicesCpuS: number;
  postgresCpuS: number;
  redisCpuS: number;
  /** Milliseconds from the API call: its 202, the first and last claim, the last stop (from the task rows). */
  timeline: { acceptedMs: number; firstClaimMs: number; lastClaimMs: number; lastStopMs: number };
  problem?: string;
}

export class PvefleetFanout {
  private constructor(
    private readonly p: Pvefleet,
    private readonly services: Services,
    private readonly pids: { postgres?: number; redis?: number },
  ) {}

  static async create(p: Pvefleet, services: Services): Promise<PvefleetFanout> {
    return new PvefleetFanout(p, services, await servicePids(services));
  }

  private ownCpu(): number {
    return [this.p.api, ...this.p.workers].reduce((s, x) => s + cpuSeconds(x.child.pid), 0);
  }

  private servicesCpu(): { postgres: number; redis: number } {
    return { postgres: treeCpuSeconds(this.pids.postgres), redis: cpuSeconds(this.pids.redis) };
  }

  private async timeline(upids: string[], t0: number, acceptedMs: number): Promise<PvefleetRun['timeline']> {
    // extract() is numeric, which pg hands over as a string.
    const { rows } = await this.services.pool.query<{ first: string; last: string; stop: string }>(
      `SELECT extract(epoch FROM min(started_at)) * 1000 AS first, extract(epoch FROM max(started_at)) * 1000 AS last,
              extract(epoch FROM max(end_time)) * 1000 AS stop
         FROM task WHERE upid = ANY($1)`,
      [upids],
    );
    const at = (v: string) => Math.round(Number(v) - t0);
    return { acceptedMs, firstClaimMs: at(rows[0].first), lastClaimMs: at(rows[0].last), lastStopMs: at(rows[0].stop) };
  }

  /** One `exec argv` fleet task on `nodes` (read-only: no per-node lease), timed to the last stop. */
  /** `pollMs`: how often the bench asks Postgres whether all stopped (each ask is one transaction). */
  async run(nodes: string[], argv: string[], pollMs = 10): Promise<PvefleetRun> {
    const cpu0 = this.ownCpu();
    const svc0 = this.servicesCpu();
    const wallClock0 = Date.now();
    const t0 = performance.now();
    const upids = await fleetTask(this.p, { type: 'exec', params: { argv, readOnly: true }, selector: { nodes } });
    const acceptedMs = Math.round(performance.now() - t0);
    const done = await waitStopped(this.services.pool, upids, 600_000, pollMs);
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = this.ownCpu() - cpu0;
    const svc = this.servicesCpu();
    const postgresCpuS = svc.postgres - svc0.postgres;
    const redisCpuS = svc.redis - svc0.redis;
    const failed = upids.length - done.ok;
    return {
      ok: done.ok,
      failed,
      wallS,
      cpuS,
      servicesCpuS: postgresCpuS + redisCpuS,
      postgresCpuS,
      redisCpuS,
      timeline: await this.timeline(upids, wallClock0, acceptedMs),
      ...(failed ? { problem: done.errors.join('; ') } : {}),
    };
  }
}
