-- Hand-written (Prisma cannot declare a partial index): each node's ACME renewal tasks newest first,
-- for the last renewal GET /certificates shows (one index probe per node, however many other tasks)
CREATE INDEX "task_renewal_idx" ON "task"("node", "start_time" DESC, "id" DESC) WHERE "type" IN ('acmerenew', 'acmenewcert');
