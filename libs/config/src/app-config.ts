import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '@pvefleet/logging';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { loadMasterKey } from './master-key';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable pvefleet reads, with its default; `.env.example` lists them. */
const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required (e.g. postgresql://user@host:5432/pvefleet)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  REDIS_URL: z.string({ error: 'is required (e.g. redis://127.0.0.1:6379)' }).regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PVEFLEET_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PVEFLEET_MASTER_KEY: z.string().optional(),
  PVEFLEET_MASTER_KEY_FILE: z.string().optional(),
  PVEFLEET_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_.-]')
    .default('pvefleet'),
  PVEFLEET_WORKER_CONCURRENCY: positiveInt(50),
  PVEFLEET_WORKER_STOP_GRACE_S: z.coerce.number().int().min(0).max(86_400).default(300),
  PVEFLEET_SSH_CONNECT_TIMEOUT_MS: positiveInt(10_000),
  PVEFLEET_SSH_COMMAND_TIMEOUT_MS: positiveInt(30 * 60_000),
  PVEFLEET_SSH_IDLE_MS: z.coerce.number().int().min(0).default(60_000),
  PVEFLEET_SSH_MAX_IDLE_CONNECTIONS: positiveInt(2_000),
  PVEFLEET_DB_POOL_SIZE: positiveInt(10),
  PVEFLEET_DB_CONNECT_WAIT_S: z.coerce.number().int().min(0).max(3_600).default(60),
  PVEFLEET_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(3_000),
  PVEFLEET_AUTH_FAILURES_PER_MIN: z.coerce.number().int().min(0).default(30),
  PVEFLEET_LOG_FLUSH_MS: positiveInt(50),
  PVEFLEET_LOG_SPOOL_DIR: z.string().min(1).optional(),
  PVEFLEET_LOG_SPOOL_MAX_MB: z.coerce.number().int().min(0).default(1_024),
  PVEFLEET_ROLLOUT_TICK_MS: positiveInt(500),
  PVEFLEET_TASK_LEASE_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Minutes between facts refreshes: written to the `facts.refresh` row at a worker's start; 0: this worker runs no timer. */
  PVEFLEET_FACTS_REFRESH_MINUTES: z.coerce.number().min(0).max(1_440).optional(),
  /** How the API creates the built-in certificate renewal schedule when it does not exist yet. */
  PVEFLEET_CERTIFICATE_RENEWAL: z.enum(['enabled', 'paused']).default('enabled'),
  PVEFLEET_LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  PVEFLEET_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export type AppConfig = Readonly<{
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  port: number;
  host: string;
  adminToken?: string;
  /** 32-byte AES-256-GCM key for credentials at rest. */
  masterKey: Buffer;
  /** stopGraceMs: after SIGTERM, how long running tasks may take to finish before they are stopped (or handed back). */
  worker: { concurrency: number; stopGraceMs: number };
  ssh: { connectTimeoutMs: number; commandTimeoutMs: number; idleMs: number; maxIdleConnections: number };
  /** connectWaitSeconds: how long a starting process retries an unreachable database before it exits. */
  db: { poolSize: number; connectWaitSeconds: number };
  /** Requests per minute per token, and failed logins per minute per client address (0: no limit). */
  api: { rateLimitPerMinute: number; authFailuresPerMinute: number };
  /** spool: where a worker's log lines wait on disk while Postgres is away (maxBytes 0: memory only). */
  log: { flushMs: number; spool: { dir: string; maxBytes: number } };
  rollout: { tickMs: number };
  /** A running task's heartbeat (and node lease) lives this long; a dead worker's tasks are reaped after it. */
  taskLeaseMs: number;
  /**
   * factsRefreshMinutes: the facts refresh interval this worker writes to the `facts.refresh` row at
   * start (undefined: the row decides, 15 min by default; 0: no refresh timer in this worker).
   */
  desired: { factsRefreshMinutes: number | undefined };
  /**
   * renewalSchedule: whether the built-in `certificate-renewal` schedule is created enabled or
   * paused (only when it does not exist yet: after that it is the users').
   */
  certificates: { renewalSchedule: 'enabled' | 'paused' };
  /** `json`: one JSON object per log line (level, context, message, time, pid), for log collectors. */
  /** Unset: JSON lines, or readable ones on a terminal (@pvefleet/logging). */
  logFormat: LogFormat | undefined;
  logLevel: LogLevel;
}>;

/** Reads and checks the environment once at start; a bad value stops the process with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${name} ${issue.message}`);
  }
  const e = parsed.data;
  if (!e.PVEFLEET_MASTER_KEY && !e.PVEFLEET_MASTER_KEY_FILE) {
    throw new ConfigError(
      'PVEFLEET_MASTER_KEY or PVEFLEET_MASTER_KEY_FILE is required (32 bytes, base64 or hex; encrypts node credentials)',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PVEFLEET_REDIS_PREFIX,
    port: e.PORT,
    host: e.HOST,
    adminToken: e.PVEFLEET_ADMIN_TOKEN,
    masterKey: loadMasterKey({ value: e.PVEFLEET_MASTER_KEY, file: e.PVEFLEET_MASTER_KEY_FILE }),
    worker: { concurrency: e.PVEFLEET_WORKER_CONCURRENCY, stopGraceMs: e.PVEFLEET_WORKER_STOP_GRACE_S * 1000 },
    ssh: {
      connectTimeoutMs: e.PVEFLEET_SSH_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: e.PVEFLEET_SSH_COMMAND_TIMEOUT_MS,
      idleMs: e.PVEFLEET_SSH_IDLE_MS,
      maxIdleConnections: e.PVEFLEET_SSH_MAX_IDLE_CONNECTIONS,
    },
    db: { poolSize: e.PVEFLEET_DB_POOL_SIZE, connectWaitSeconds: e.PVEFLEET_DB_CONNECT_WAIT_S },
    api: { rateLimitPerMinute: e.PVEFLEET_RATE_LIMIT_PER_MIN, authFailuresPerMinute: e.PVEFLEET_AUTH_FAILURES_PER_MIN },
    log: {
      flushMs: e.PVEFLEET_LOG_FLUSH_MS,
      spool: { dir: e.PVEFLEET_LOG_SPOOL_DIR ?? join(tmpdir(), 'pvefleet-log-spool'), maxBytes: e.PVEFLEET_LOG_SPOOL_MAX_MB * 1024 * 1024 },
    },
    rollout: { tickMs: e.PVEFLEET_ROLLOUT_TICK_MS },
    taskLeaseMs: e.PVEFLEET_TASK_LEASE_MS,
    desired: { factsRefreshMinutes: e.PVEFLEET_FACTS_REFRESH_MINUTES },
    certificates: { renewalSchedule: e.PVEFLEET_CERTIFICATE_RENEWAL },
    logFormat: e.PVEFLEET_LOG_FORMAT,
    logLevel: e.PVEFLEET_LOG_LEVEL,
  };
}
