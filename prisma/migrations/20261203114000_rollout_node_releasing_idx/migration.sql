-- Hand-written (Prisma cannot declare a partial index): the few nodes being released after their
-- rollout stopped, which the workers' lease query looks for on every tick.
CREATE INDEX "rollout_node_releasing_idx" ON "rollout_node" ("rollout_id") WHERE ("release" ->> 'state') = 'running';
