-- CreateEnum
CREATE TYPE "RolloutStatus" AS ENUM ('pending', 'running', 'paused', 'awaiting_approval', 'halting', 'aborting', 'completed', 'halted', 'aborted', 'failed');

-- CreateTable
CREATE TABLE "rollout" (
    "id" SERIAL NOT NULL,
    "status" "RolloutStatus" NOT NULL DEFAULT 'pending',
    "spec" JSONB NOT NULL,
    "batches" JSONB NOT NULL,
    "current_batch" INTEGER NOT NULL DEFAULT 0,
    "next_batch_at" TIMESTAMPTZ(3),
    "preflight" JSONB NOT NULL DEFAULT '{}',
    "clusters" JSONB NOT NULL DEFAULT '{}',
    "user" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_node" (
    "id" SERIAL NOT NULL,
    "rollout_id" INTEGER NOT NULL,
    "node" TEXT NOT NULL,
    "node_id" INTEGER,
    "cluster" TEXT,
    "batch" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "step" TEXT,
    "task_upid" TEXT,
    "tasks" JSONB NOT NULL DEFAULT '[]',
    "retries" INTEGER NOT NULL DEFAULT 0,
    "detail" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_event" (
    "id" BIGSERIAL NOT NULL,
    "rollout_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL DEFAULT 'info',
    "node" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "rollout_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rollout_status_idx" ON "rollout"("status");

-- CreateIndex
CREATE INDEX "rollout_node_rollout_id_batch_idx" ON "rollout_node"("rollout_id", "batch");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_node_rollout_id_node_key" ON "rollout_node"("rollout_id", "node");

-- CreateIndex
CREATE INDEX "rollout_event_rollout_id_id_idx" ON "rollout_event"("rollout_id", "id");

-- AddForeignKey
ALTER TABLE "rollout_node" ADD CONSTRAINT "rollout_node_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_event" ADD CONSTRAINT "rollout_event_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;
