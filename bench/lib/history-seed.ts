// Seeds a year of task history server-side (INSERT … SELECT generate_series): nodes, tasks and log
// chunks written the way TaskLogWriter writes them, so the benchmark reads what a real fleet leaves.
import type pg from 'pg';

export interface HistorySize {
  nodes: number;
  tasks: number;
  lines: number;
  /** Tasks with a long log (≥ 10,000 lines each); they take whatever lines the others leave. */
  longTasks: number;
  longLines: number;
}

export interface SeedTimes {
  nodesMs: number;
  tasksMs: number;
  logsMs: number;
  compactMs: number;
  /** Chunks as the writer left them, before the stop-time compaction, and their size on disk. */
  writerChunks: number;
  writerBytes: number;
  vacuumMs: number;
  chunks: number;
  lines: number;
  longUpids: string[];
}

const DAY_MS = 86_400_000;

/**
 * Deterministic per-row randomness (the same seed gives the same history): `pg_temp.u(row, salt)` is
 * uniform in [0, 1), from Postgres's own integer hash; `pg_temp.h` is the non-negative hash itself.
 * Log lines come from real command output (apt, zfs, chrony, pveversion; see shared notes'
 * pve-outputs.md), with numbers varied so compression meets realistic, not identical, text.
 */
const FUNCTIONS = `
SET jit = off;
CREATE FUNCTION pg_temp.h(a bigint, salt int) RETURNS bigint IMMUTABLE LANGUAGE sql AS
  $$ SELECT (hashint8(a * 1000003 + salt)::bigint & 2147483647) $$;
CREATE FUNCTION pg_temp.u(a bigint, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql AS
  $$ SELECT pg_temp.h(a, salt) / 2147483648.0 $$;
CREATE FUNCTION pg_temp.family(type text) RETURNS int IMMUTABLE LANGUAGE sql AS $$
  SELECT CASE WHEN type IN ('aptupdate', 'aptupgrade', 'aptrepos', 'pve8to9') THEN 0
              WHEN type IN ('zfscreate', 'nodehealth', 'clustercheck') THEN 1
              WHEN type = 'ntp' THEN 2 ELSE 3 END $$;
CREATE FUNCTION pg_temp.log_line(fam int, h bigint) RETURNS text STABLE LANGUAGE sql AS $$
  SELECT CASE fam
  WHEN 0 THEN CASE h / 7 % 10
    WHEN 0 THEN format('Hit:%s http://deb.debian.org/debian bookworm InRelease', h % 9 + 1)
    WHEN 1 THEN format('Get:%s http://security.debian.org/debian-security bookworm-security InRelease [48.0 kB]', h % 9 + 1)
    WHEN 2 THEN format('Get:%s http://download.proxmox.com/debian/pve bookworm/pve-no-subscription amd64 Packages [%s kB]', h % 9 + 1, h % 900 + 100)
    WHEN 3 THEN format('Unpacking libpve-common-perl (8.%s.%s) over (8.%s.%s) ...', h % 4, h % 17, h % 4, h % 11)
    WHEN 4 THEN format('Setting up pve-manager (8.%s.%s) ...', h % 5, h % 15)
    WHEN 5 THEN format('Preparing to unpack .../qemu-server_8.%s.%s_amd64.deb ...', h % 5, h % 9)
    WHEN 6 THEN 'Processing triggers for man-db (2.11.2-2) ...'
    WHEN 7 THEN 'Reading package lists...'
    WHEN 8 THEN format('Fetched %s kB in %ss (%s kB/s)', h % 9000 + 100, h % 9 + 1, h % 5000 + 300)
    WHEN 9 THEN format('Selecting previously unselected package proxmox-kernel-6.8.12-%s-pve-signed.', h % 20 + 1)
  END
  WHEN 1 THEN CASE h / 7 % 10
    WHEN 0 THEN '  pool: rpool'
    WHEN 1 THEN ' state: ONLINE'
    WHEN 2 THEN format('  scan: scrub repaired 0B in 00:%s:%s with 0 errors on Sun Mar  8 00:24:03 2026', lpad((h % 60)::text, 2, '0'), lpad((h % 59)::text, 2, '0'))
    WHEN 3 THEN E'\\tNAME           STATE     READ WRITE CKSUM'
    WHEN 4 THEN E'\\t  mirror-0     ONLINE       0     0     0'
    WHEN 5 THEN format(E'\\t    nvme%sn1p3  ONLINE       0     0     0', h % 4)
    WHEN 6 THEN 'errors: No known data errors'
    WHEN 7 THEN format(E'rpool\\t1.73T\\t%sG\\t1.%sT\\tONLINE', h % 900 + 100, h % 9)
    WHEN 8 THEN 'SMART overall-health self-assessment test result: PASSED'
    WHEN 9 THEN format('Quorate: Yes (expected votes %s, total votes %s)', h % 16 + 3, h % 16 + 3)
  END
  WHEN 2 THEN CASE h / 7 % 8
    WHEN 0 THEN format('^* ntp%s.example.net                 2   6   377    %s   +%sus[ +%sus] +/-   18ms', h % 4 + 1, h % 60, h % 900, h % 950)
    WHEN 1 THEN format('^- ntp%s.example.net                 3  10   377   %s   -%sus[ -%sus] +/-   31ms', h % 4 + 1, h % 600, h % 900, h % 950)
    WHEN 2 THEN 'Reference ID    : C0A80101 (ntp1.example.net)'
    WHEN 3 THEN format('System time     : 0.000%s seconds fast of NTP time', lpad((h % 99999)::text, 5, '0'))
    WHEN 4 THEN format('Last offset     : +0.000%s seconds', lpad((h % 99999)::text, 5, '0'))
    WHEN 5 THEN 'Leap status     : Normal'
    WHEN 6 THEN format('MS Name/IP address         Stratum Poll Reach LastRx Last sample (%s)', h % 4)
    WHEN 7 THEN 'chronyd is running; writing /etc/chrony/conf.d/pvefleet.conf'
  END
  ELSE CASE h / 7 % 8
    WHEN 0 THEN format('pve-manager/8.%s.%s/faa83925c9641325 (running kernel: 6.8.12-%s-pve)', h % 5, h % 15, h % 20 + 1)
    WHEN 1 THEN format('proxmox-ve: 8.%s.0 (running kernel: 6.8.12-%s-pve)', h % 5, h % 20 + 1)
    WHEN 2 THEN format('qemu-server: 8.%s.%s', h % 5, h % 9)
    WHEN 3 THEN format('VM %s migrated to pve-fra-%s (online, %s MiB/s)', h % 900 + 100, lpad((h % 1000 + 1)::text, 4, '0'), h % 900 + 100)
    WHEN 4 THEN format('ceph osd set noout: noout is set (%s osds up, %s in)', h % 40 + 8, h % 40 + 8)
    WHEN 5 THEN format('uptime: up %s days, %s:%s, load average: 0.%s, 0.%s, 0.%s', h % 400, h % 24, lpad((h % 60)::text, 2, '0'), h % 99, h % 97, h % 89)
    WHEN 6 THEN format('Certificate for pve-fra-%s.example.net renewed, expires in 90 days', lpad((h % 1000 + 1)::text, 4, '0'))
    WHEN 7 THEN format('boot_id %s-4c1e-9b4d-%s', md5(h::text)::uuid::text, h % 9999)
  END
  END $$;
`;

/** Job kinds in a plausible mix (facts and apt refreshes dominate), with Proxmox-style failures. */
const TYPES: { type: string; share: number; mutating: boolean; error: string }[] = [
  { type: 'facts', share: 0.3, mutating: false, error: "command 'pveversion -v' failed: exit code 255" },
  { type: 'aptupdate', share: 0.22, mutating: true, error: "command 'apt-get update' failed: exit code 100" },
  { type: 'nodehealth', share: 0.12, mutating: false, error: 'zpool rpool is DEGRADED' },
  { type: 'exec', share: 0.12, mutating: true, error: "command 'systemctl restart pveproxy' failed: exit code 1" },
  { type: 'aptupgrade', share: 0.06, mutating: true, error: "command 'apt-get -y dist-upgrade' failed: exit code 100" },
  { type: 'ntp', share: 0.05, mutating: true, error: 'chrony did not synchronise within 60 s' },
  { type: 'clustercheck', share: 0.04, mutating: false, error: 'cluster not quorate' },
  { type: 'acmerenew', share: 0.02, mutating: true, error: 'ACME order failed: urn:ietf:params:acme:error:rateLimited' },
  { type: 'hamaintenance', share: 0.02, mutating: true, error: 'HA maintenance not reached within 300 s' },
  { type: 'migrateall', share: 0.015, mutating: true, error: 'VM 142 migration failed: no such storage' },
  { type: 'cephflag', share: 0.015, mutating: true, error: 'ceph osd set noout failed: exit code 22' },
  { type: 'zfscreate', share: 0.01, mutating: true, error: "command 'zpool create' failed: exit code 1" },
  { type: 'aptrepos', share: 0.01, mutating: true, error: 'no sources file lists bookworm' },
  { type: 'pve8to9', share: 0.005, mutating: false, error: 'pve8to9 reported 2 FAILURES' },
  { type: 'acmenewcert', share: 0.005, mutating: true, error: 'ACME challenge failed for pve.example.net' },
];

/** Automation tokens do most of the work; a long tail of people does the rest. */
export const USERS = [
  'admin@pvefleet!ci',
  'admin@pvefleet!cron',
  'root@pam',
  'admin@pvefleet',
  ...Array.from(
    { length: 26 },
    (_, i) =>
      `${['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'nia', 'oscar'][i % 13]}${i >= 13 ? '2' : ''}@pve`,
  ),
];

export const DATACENTERS = ['fra', 'ams', 'par', 'waw'];

export function nodeName(i: number): string {
  return `pve-${DATACENTERS[(i - 1) % DATACENTERS.length]}-${String(i).padStart(4, '0')}`;
}

const sqlList = (xs: string[]) => xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(', ');

function typeCase(col: string, pick: (t: (typeof TYPES)[number]) => string): string {
  let acc = 0;
  const arms = TYPES.slice(0, -1).map((t) => {
    acc += t.share;
    return `WHEN ${col} < ${acc.toFixed(4)} THEN ${pick(t)}`;
  });
  return `CASE ${arms.join(' ')} ELSE ${pick(TYPES[TYPES.length - 1])} END`;
}

/** Runs `fn` on `parallel` connections over id ranges that split 1..n evenly. */
async function inParallel(
  pool: pg.Pool,
  n: number,
  parallel: number,
  fn: (c: pg.PoolClient, lo: number, hi: number) => Promise<void>,
): Promise<void> {
  const step = Math.ceil(n / parallel);
  await Promise.all(
    Array.from({ length: parallel }, async (_, i) => {
      const c = await pool.connect();
      try {
        await c.query(FUNCTIONS);
        await fn(c, i * step + 1, Math.min(n, (i + 1) * step));
      } finally {
        c.release(true); // temp functions go with the session
      }
    }),
  );
}

export async function seedHistory(pool: pg.Pool, size: HistorySize, parallel = 2): Promise<SeedTimes> {
  const now = Date.now();
  const t0 = now - 365 * DAY_MS;
  const span = now - 60_000 - t0;
  const pstart = Math.floor(t0 / 1000) & 0xfffffff;

  let t = performance.now();
  await pool.query(
    `INSERT INTO node (name, host, port, ssh_user, credential_type, credential, labels, host_key_fingerprint, host_key_algorithm, updated_at)
     SELECT 'pve-' || (ARRAY[${sqlList(DATACENTERS)}])[(i - 1) % ${DATACENTERS.length} + 1] || '-' || lpad(i::text, 4, '0'),
            '127.1.' || (i / 250) || '.' || (i % 250 + 1), 22, 'root', 'key', 'bench: never used (no worker runs)',
            jsonb_build_object('dc', (ARRAY[${sqlList(DATACENTERS)}])[(i - 1) % ${DATACENTERS.length} + 1], 'cluster', 'c' || ((i - 1) / 16 + 1)),
            'SHA256:' || rtrim(encode(sha256(i::text::bytea), 'base64'), '='), 'ssh-ed25519', now()
       FROM generate_series(1, $1) i`,
    [size.nodes],
  );
  const nodesMs = performance.now() - t;

  // Long logs go to aptupgrade/exec tasks spread over the year.
  const longIds = Array.from({ length: size.longTasks }, (_, i) => Math.floor(((i + 0.5) * size.tasks) / size.longTasks));
  const normalLines = size.lines - size.longTasks * size.longLines;
  const meanLines = normalLines / (size.tasks - size.longTasks);
  // 2 + uniform 0..spread-1 lines (the last is Proxmox's TASK OK / TASK ERROR), rounded down so the
  // long logs take the remainder and the total comes out exact.
  const spread = Math.max(1, Math.floor(2 * (meanLines - 2) + 1));

  t = performance.now();
  await inParallel(pool, size.tasks, parallel, async (c, lo, hi) => {
    await c.query(
      `INSERT INTO task (id, upid, node, node_id, type, object_id, "user", status, exitstatus, is_error, mutating,
                         start_time, started_at, end_time, params, plan, log_lines)
       SELECT g, format('UPID:%s:%s:%s:%s:%s:%s:%s:', node, lpad(upper(to_hex(g)), 8, '0'), lpad(upper(to_hex($4::int + g / 50000)), 8, '0'),
                        lpad(upper(to_hex((st / 1000)::bigint)), 8, '0'), type, object_id, "user"),
              node, node_id, type, object_id, "user", status, exitstatus, is_error, mutating,
              to_timestamp(st / 1000.0), to_timestamp((st + 80) / 1000.0),
              CASE WHEN status = 'stopped' THEN to_timestamp((st + 80 + lines * 25 + 400) / 1000.0) END,
              '{}'::jsonb, jsonb_build_array(jsonb_build_object('command', cmd, 'timeoutMs', 600000)),
              CASE WHEN status = 'stopped' THEN lines ELSE 0 END
         FROM (
           SELECT g, node_id, 'pve-' || (ARRAY[${sqlList(DATACENTERS)}])[(node_id - 1) % ${DATACENTERS.length} + 1] || '-' || lpad(node_id::text, 4, '0') AS node,
                  type, mutating, cmd, object_id, "user", st, lines,
                  CASE WHEN g > $3::int - 40 THEN CASE WHEN g % 2 = 0 THEN 'running' ELSE 'queued' END ELSE 'stopped' END::"TaskStatus" AS status,
                  CASE WHEN g > $3::int - 40 THEN NULL WHEN err THEN error WHEN pg_temp.u(g, 9) < 0.01 THEN 'WARNINGS: 1' ELSE 'OK' END AS exitstatus,
                  err AND g <= $3::int - 40 AS is_error
             FROM (
               SELECT g, 1 + floor(pg_temp.u(g, 1) * $5::int)::int AS node_id,
                      ${typeCase('pg_temp.u(g, 2)', (x) => `'${x.type}'`)} AS type,
                      ${typeCase('pg_temp.u(g, 2)', (x) => String(x.mutating))} AS mutating,
                      ${typeCase('pg_temp.u(g, 2)', (x) => `'${x.error.replaceAll("'", "''")}'`)} AS error,
                      ${typeCase('pg_temp.u(g, 2)', (x) => `'${x.type} step'`)} AS cmd,
                      CASE WHEN pg_temp.u(g, 3) < 0.1 THEN (100 + pg_temp.h(g, 4) % 900)::text ELSE '' END AS object_id,
                      (ARRAY[${sqlList(USERS)}])[1 + floor(pow(pg_temp.u(g, 5), 2.5) * ${USERS.length})::int] AS "user",
                      ($6::float8 + (g - 1) * $7::float8 / $3::int + pg_temp.u(g, 6) * $7::float8 / $3::int)::bigint AS st,
                      CASE WHEN g = ANY($8::int[]) THEN $9::int ELSE 2 + (pg_temp.h(g, 7) % $10::int)::int END AS lines,
                      pg_temp.u(g, 8) < 0.05 AS err
                 FROM generate_series($1::int, $2::int) g
             ) r
         ) s`,
      [lo, hi, size.tasks, pstart, size.nodes, t0, span, longIds, size.longLines, spread],
    );
  });
  // Make the long tasks' types fit their logs, and the total exactly `size.lines`.
  await pool.query(`UPDATE task SET type = CASE WHEN id % 2 = 0 THEN 'aptupgrade' ELSE 'exec' END WHERE id = ANY($1::int[])`, [longIds]);
  await pool.query(
    `UPDATE task SET upid = regexp_replace(upid, '^(UPID:[^:]+:[^:]+:[^:]+:[^:]+:)[^:]+', '\\1' || type) WHERE id = ANY($1::int[])`,
    [longIds],
  );
  const { rows: sum } = await pool.query<{ s: string }>(`SELECT sum(log_lines)::text AS s FROM task`);
  const missing = size.lines - Number(sum[0].s);
  if (size.longLines + Math.floor(missing / size.longTasks) < 10_000) throw new Error(`too few lines left for the long logs (${missing})`);
  await pool.query(
    `UPDATE task SET log_lines = log_lines + $2 / $3::int + CASE WHEN id = $4 THEN $2 % $3::int ELSE 0 END WHERE id = ANY($1::int[])`,
    [longIds, missing, size.longTasks, longIds[longIds.length - 1]],
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('task', 'id'), $1)`, [size.tasks]);
  const tasksMs = performance.now() - t;

  // Chunks as the writer leaves them: one row per task per flush (50 ms). Short tasks' output comes in
  // bursts of 1–9 lines (a command's answer, apt's paced progress); long logs stream fast and fill
  // ~2,000-line chunks. Within a chunk lines are 0–20 ms apart; the first line of a chunk is its base
  // time (the codec's format: 8-byte float64 base, then one varint per line, (Δms << 2) | stream).
  t = performance.now();
  await inParallel(pool, size.tasks, parallel, async (c, lo, hi) => {
    await c.query(
      `INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
       SELECT t.id, c.first_n, c.cnt, l.text, float8send(c.base) || l.meta
         FROM (SELECT id, log_lines, pg_temp.family(type) AS fam, exitstatus, is_error,
                      extract(epoch FROM started_at) * 1000 AS started_ms,
                      CASE WHEN log_lines >= 10000 THEN 1500 + (pg_temp.h(id, 10) % 1000)::int ELSE 1 + (pg_temp.h(id, 10) % 9)::int END AS s
                 FROM task WHERE id BETWEEN $1 AND $2 AND log_lines > 0) t
        CROSS JOIN LATERAL (
          SELECT 1 + k * t.s AS first_n, least(t.s, t.log_lines - k * t.s) AS cnt, (t.started_ms + k * t.s * 25 + k * 300)::float8 AS base
            FROM generate_series(0, (t.log_lines - 1) / t.s) k) c
        CROSS JOIN LATERAL (
          SELECT string_agg(CASE WHEN n < t.log_lines THEN pg_temp.log_line(t.fam, h1)
                                 WHEN t.is_error THEN 'TASK ERROR: ' || t.exitstatus ELSE 'TASK ' || t.exitstatus END, E'\\n') AS text,
                 decode(string_agg(lpad(to_hex(CASE WHEN n = c.first_n THEN 0 ELSE h2 % 21 END * 4
                                               + CASE WHEN n = t.log_lines THEN 2 WHEN h3 % 20 = 0 THEN 1 ELSE 0 END), 2, '0'), ''), 'hex') AS meta
            -- OFFSET 0 keeps the hashes computed once per line: as plain columns they let log_line inline.
            FROM (SELECT n, pg_temp.h(t.id * 65536 + n, 11) AS h1, pg_temp.h(t.id * 65536 + n, 12) AS h2, pg_temp.h(t.id * 65536 + n, 13) AS h3
                    FROM generate_series(c.first_n, c.first_n + c.cnt - 1) n OFFSET 0) x) l`,
      [lo, hi],
    );
  });
  const logsMs = performance.now() - t;
  await pool.query('CHECKPOINT');
  const flushed = await pool.query<{ b: string }>(`SELECT pg_total_relation_size('task_log_chunk')::text AS b`);

  // What the stop trigger (task_log_compact_on_stop) did to each of these tasks when it stopped:
  // merge its small chunks. VACUUM FULL then stands for the steady state, where the space that
  // compaction frees is reused by the next tasks' chunks instead of lying empty.
  t = performance.now();
  let merged = 0;
  await inParallel(pool, size.tasks, parallel, async (c, lo, hi) => {
    const { rows } = await c.query<{ m: string }>(
      `SELECT coalesce(sum(task_log_compact(id)), 0)::text AS m FROM task WHERE id BETWEEN $1 AND $2 AND status = 'stopped'`,
      [lo, hi],
    );
    merged += Number(rows[0].m);
  });
  const compactMs = performance.now() - t;

  // Autovacuum would have visited a table this old: the benchmark should not measure a fresh load.
  t = performance.now();
  await pool.query('VACUUM (ANALYZE) node');
  await pool.query('VACUUM (ANALYZE) task');
  await pool.query('VACUUM (FULL, ANALYZE) task_log_chunk');
  // Written out now, not by the checkpointer in the background while latencies are sampled.
  await pool.query('CHECKPOINT');
  const vacuumMs = performance.now() - t;

  const { rows } = await pool.query<{ chunks: string; lines: string }>(
    `SELECT count(*)::text AS chunks, sum(line_count)::text AS lines FROM task_log_chunk`,
  );
  const long = await pool.query<{ upid: string }>(`SELECT upid FROM task WHERE id = ANY($1::int[]) ORDER BY id`, [longIds]);
  return {
    nodesMs,
    tasksMs,
    logsMs,
    compactMs,
    writerChunks: Number(rows[0].chunks) + merged,
    writerBytes: Number(flushed.rows[0].b),
    vacuumMs,
    chunks: Number(rows[0].chunks),
    lines: Number(rows[0].lines),
    longUpids: long.rows.map((r) => r.upid),
  };
}
