-- Live streams without polling: statement-level triggers tell the API processes that LISTEN which
-- task or rollout changed. One notification per distinct id per statement, its payload the id alone
-- (far below the 8000-byte limit), sent at commit. Readers then catch up by position (log line
-- number, rollout event id), so a notification carries no data and a lost one costs only latency.
--
-- Function bodies write each semicolon as the octal escape \073 inside E-strings: the migration
-- runner splits scripts at every semicolon, dollar quotes included.

-- Channel pvefleet_task: a task's log grew (chunks inserted) or its status changed.
CREATE FUNCTION pvefleet_notify_task_log() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT DISTINCT task_id FROM new_rows LOOP
    PERFORM pg_notify(''pvefleet_task'', r.task_id::text)\073
  END LOOP\073
  RETURN NULL\073
END';

CREATE TRIGGER task_log_chunk_notify AFTER INSERT ON task_log_chunk
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_task_log();

-- Heartbeats and lease renewals also update tasks: only a status change is news.
CREATE FUNCTION pvefleet_notify_task_status() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT DISTINCT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.status IS DISTINCT FROM o.status LOOP
    PERFORM pg_notify(''pvefleet_task'', r.id::text)\073
  END LOOP\073
  RETURN NULL\073
END';

CREATE TRIGGER task_status_notify AFTER UPDATE ON task
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_task_status();

-- Channel pvefleet_rollout: a rollout, one of its nodes, or its event log changed.
CREATE FUNCTION pvefleet_notify_rollout() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT DISTINCT id FROM new_rows LOOP
    PERFORM pg_notify(''pvefleet_rollout'', r.id::text)\073
  END LOOP\073
  RETURN NULL\073
END';

CREATE FUNCTION pvefleet_notify_rollout_child() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT DISTINCT rollout_id FROM new_rows LOOP
    PERFORM pg_notify(''pvefleet_rollout'', r.rollout_id::text)\073
  END LOOP\073
  RETURN NULL\073
END';

CREATE TRIGGER rollout_insert_notify AFTER INSERT ON rollout
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_rollout();
CREATE TRIGGER rollout_update_notify AFTER UPDATE ON rollout
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_rollout();
CREATE TRIGGER rollout_node_insert_notify AFTER INSERT ON rollout_node
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_rollout_child();
CREATE TRIGGER rollout_node_update_notify AFTER UPDATE ON rollout_node
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_rollout_child();
CREATE TRIGGER rollout_event_insert_notify AFTER INSERT ON rollout_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pvefleet_notify_rollout_child();
