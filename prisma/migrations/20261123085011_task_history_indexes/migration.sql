-- DropIndex
DROP INDEX "task_is_error_start_time_idx";

-- DropIndex
DROP INDEX "task_node_start_time_idx";

-- DropIndex
DROP INDEX "task_status_start_time_idx";

-- DropIndex
DROP INDEX "task_type_start_time_idx";

-- DropIndex
DROP INDEX "task_user_start_time_idx";

-- CreateIndex
CREATE INDEX "task_node_start_time_id_idx" ON "task"("node", "start_time" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "task_type_start_time_id_idx" ON "task"("type", "start_time" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "task_type_status_start_time_id_idx" ON "task"("type", "status", "start_time" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "task_user_start_time_id_idx" ON "task"("user", "start_time" DESC, "id" DESC);

-- Written by hand (Prisma cannot declare partial indexes, and `migrate.mjs create` leaves them alone:
-- see DEVELOPERS.md). Fleet-wide errors are 5% of tasks: an index of those alone is 1/20 the size.
CREATE INDEX "task_errors_idx" ON "task"("start_time" DESC, "id" DESC) WHERE "is_error";

-- Queued and running tasks are a handful among a million stopped ones: `status=queued|running`
-- lists, and the workers orphan and requeue scans (TaskStore.findOrphans / findStaleQueued), read
-- this small index instead of one over every task. `status=stopped` needs none: nearly every task is.
CREATE INDEX "task_active_idx" ON "task"("start_time" DESC, "id" DESC) WHERE "status" <> 'stopped';

-- Task log storage: a stopped task's small chunks are merged, and text is lz4-compressed where
-- this Postgres has lz4.
--
-- TaskLogWriter stores one row per task per 50 ms flush, so a task whose output trickles in (apt
-- progress, one command per step) leaves chunks of 1 to 5 lines, and every row costs about 100 bytes
-- of tuple header, columns and primary-key entry: 1.6 times the raw text. When the task stops, its
-- runs of small chunks become chunks of up to 1,000 lines, large enough for TOAST compression (which
-- only compresses values over about 2 kB). Line numbers, text, streams and times are unchanged (the
-- meta is rebased, see task_log_compact), so readers see the same log.
--
-- The function bodies write each semicolon as the octal escape \073 inside E-strings: the migration
-- runner (scripts/migrate.mjs, through adapter-pg executeScript) splits scripts at every semicolon,
-- dollar quotes included.

-- The 8-byte big-endian float64 base time that starts a chunk meta (TaskLogCodec).
CREATE FUNCTION task_log_meta_base(meta bytea) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT AS E'
DECLARE
  b bigint := (''x'' || encode(substring(meta FROM 1 FOR 8), ''hex''))::bit(64)::bigint\073
  e int := ((b >> 52) & 2047)::int\073
BEGIN
  IF e = 0 THEN
    RETURN 0\073
  END IF\073
  -- (1.mantissa) * 2^(exponent - 1023), exact: epoch milliseconds are integers below 2^53.
  RETURN (CASE WHEN b < 0 THEN -1 ELSE 1 END) * ((b & 4503599627370495) + 4503599627370496)::float8 * power(2::float8, e - 1075)\073
END';

-- Time of the last line of a chunk minus its base: the sum of floor(v / 4) over its varints.
CREATE FUNCTION task_log_meta_span(meta bytea) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT AS E'
DECLARE
  b int\073
  v bigint := 0\073
  mul bigint := 1\073
  span float8 := 0\073
BEGIN
  FOR i IN 8 .. length(meta) - 1 LOOP
    b := get_byte(meta, i)\073
    v := v + (b & 127) * mul\073
    IF b < 128 THEN
      span := span + v / 4\073
      v := 0\073
      mul := 1\073
    ELSE
      mul := mul * 128\073
    END IF\073
  END LOOP\073
  RETURN span\073
END';

-- One unsigned LEB128 varint, as TaskLogCodec writes them.
CREATE FUNCTION task_log_varint(v bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS E'
DECLARE
  out bytea := ''''\073
BEGIN
  WHILE v >= 128 LOOP
    out := out || set_byte(''\\x00''::bytea, 0, (v % 128)::int | 128)\073
    v := v / 128\073
  END LOOP\073
  RETURN out || set_byte(''\\x00''::bytea, 0, v::int)\073
END';

-- Replaces the chunks holding lines first_n .. first_n + lines - 1 of a task by one chunk.
CREATE FUNCTION task_log_merge(p_task bigint, p_first int, p_lines int, p_meta bytea) RETURNS void LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM task_log_chunk WHERE task_id = p_task AND first_n >= p_first AND first_n < p_first + p_lines
    RETURNING first_n, text
  )
  INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
  SELECT p_task, p_first, p_lines, string_agg(text, E'\n' ORDER BY first_n), p_meta FROM gone
$$;

-- Merges runs of consecutive chunks of one task into chunks of at most 1,000 lines (well under
-- MAX_CHUNK_LINES of TaskLogWriter, which readers rely on). A merged chunk keeps the base time of
-- its first chunk, and the first line of each following chunk, stored as "0 ms after my base", is
-- rewritten as "this many ms after the previous line", so every line decodes to the time it had.
-- Only chunks that merge have their text read: a long log of big chunks costs a scan of its metas.
-- Returns the number of chunks merged away.
CREATE FUNCTION task_log_compact(p_task bigint) RETURNS int LANGUAGE plpgsql AS E'
DECLARE
  c record\073
  g_first int\073
  g_lines int := 0\073
  g_count int := 0\073
  g_meta bytea\073
  g_last_meta bytea\073
  g_last_base float8\073
  last_ts float8\073
  delta float8\073
  merged int := 0\073
BEGIN
  FOR c IN SELECT first_n, line_count, meta FROM task_log_chunk WHERE task_id = p_task ORDER BY first_n LOOP
    IF g_count > 0 AND c.first_n = g_first + g_lines AND g_lines + c.line_count <= 1000
       AND length(c.meta) >= 9 AND get_byte(c.meta, 8) < 4 THEN
      last_ts := g_last_base + task_log_meta_span(g_last_meta)\073
      delta := greatest(0, round(task_log_meta_base(c.meta) - last_ts))\073
      g_meta := g_meta || task_log_varint(delta::bigint * 4 + get_byte(c.meta, 8)) || substring(c.meta FROM 10)\073
      g_last_base := last_ts + delta\073
      g_last_meta := c.meta\073
      g_lines := g_lines + c.line_count\073
      g_count := g_count + 1\073
    ELSE
      IF g_count > 1 THEN
        PERFORM task_log_merge(p_task, g_first, g_lines, g_meta)\073
        merged := merged + g_count - 1\073
      END IF\073
      g_first := c.first_n\073
      g_lines := c.line_count\073
      g_count := 1\073
      g_meta := c.meta\073
      g_last_meta := c.meta\073
      g_last_base := task_log_meta_base(c.meta)\073
    END IF\073
  END LOOP\073
  IF g_count > 1 THEN
    PERFORM task_log_merge(p_task, g_first, g_lines, g_meta)\073
    merged := merged + g_count - 1\073
  END IF\073
  RETURN merged\073
END';

-- Compacts when the task stops, in the statement that stops it: the flush of TaskLogWriter writes
-- the last lines and the stop together, and an AFTER trigger sees both. A stopped log is final.
CREATE FUNCTION task_log_compact_on_stop() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM task_log_compact(NEW.id)\073
  RETURN NULL\073
END';

CREATE TRIGGER task_log_compact_on_stop AFTER UPDATE OF status ON task
  FOR EACH ROW WHEN (NEW.status = 'stopped' AND OLD.status <> 'stopped')
  EXECUTE FUNCTION task_log_compact_on_stop();

-- lz4 decompresses several times faster than pglz at a similar ratio on log text. Postgres builds
-- without it (the embedded one of tests and benchmarks) keep pglz. It applies to rows written from
-- now on.
CREATE FUNCTION pg_temp.task_log_lz4() RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  ALTER TABLE task_log_chunk ALTER COLUMN text SET COMPRESSION lz4\073
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE ''lz4 is not available in this Postgres build: task_log_chunk.text keeps pglz''\073
END';
SELECT pg_temp.task_log_lz4();
