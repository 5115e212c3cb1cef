// Bytes on disk per log line: task_log_chunk's heap, its TOAST table (with the TOAST index) and its
// indexes, against the raw text (each line plus its newline, as a plain log file would hold it).
import type pg from 'pg';

export interface LogStorage {
  lines: number;
  chunks: number;
  rawBytes: number;
  heapBytes: number;
  toastBytes: number;
  indexBytes: number;
  totalBytes: number;
  compression: string;
}

export async function logStorage(pool: pg.Pool): Promise<LogStorage> {
  await pool.query('CHECKPOINT'); // sizes of what is written, not of half-flushed buffers
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT pg_relation_size('task_log_chunk')::text AS heap,
            coalesce(pg_total_relation_size(c.reltoastrelid), 0)::text AS toast,
            pg_indexes_size('task_log_chunk')::text AS idx,
            pg_total_relation_size('task_log_chunk')::text AS total,
            coalesce((SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'task_log_chunk'::regclass AND attname = 'text'), '') AS comp,
            current_setting('default_toast_compression') AS default_comp
       FROM pg_class c WHERE c.oid = 'task_log_chunk'::regclass`,
  );
  // octet_length decompresses every chunk; that is the point (raw size), and it runs once.
  const raw = await pool.query<{ raw: string; lines: string; chunks: string }>(
    `SELECT sum(octet_length(text) + 1)::text AS raw, sum(line_count)::text AS lines, count(*)::text AS chunks FROM task_log_chunk`,
  );
  const r = rows[0];
  const comp = r.comp === 'l' ? 'lz4' : r.comp === 'p' ? 'pglz' : `default (${r.default_comp})`;
  return {
    lines: Number(raw.rows[0].lines),
    chunks: Number(raw.rows[0].chunks),
    rawBytes: Number(raw.rows[0].raw),
    heapBytes: Number(r.heap),
    toastBytes: Number(r.toast),
    indexBytes: Number(r.idx),
    totalBytes: Number(r.total),
    compression: comp,
  };
}
