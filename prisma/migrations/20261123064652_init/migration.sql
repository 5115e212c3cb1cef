-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('queued', 'running', 'stopped');

-- CreateTable
CREATE TABLE "node" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "ssh_user" TEXT NOT NULL DEFAULT 'root',
    "credential_type" TEXT NOT NULL,
    "credential" TEXT NOT NULL,
    "host_key_fingerprint" TEXT,
    "host_key_algorithm" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "facts" JSONB,
    "facts_at" TIMESTAMPTZ(3),
    "lease_task_id" BIGINT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" BIGSERIAL NOT NULL,
    "upid" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "node_id" INTEGER,
    "type" TEXT NOT NULL,
    "object_id" TEXT NOT NULL DEFAULT '',
    "user" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'queued',
    "exitstatus" TEXT,
    "is_error" BOOLEAN NOT NULL DEFAULT false,
    "mutating" BOOLEAN NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "end_time" TIMESTAMPTZ(3),
    "params" JSONB NOT NULL DEFAULT '{}',
    "plan" JSONB NOT NULL DEFAULT '[]',
    "result" JSONB,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "cancelled_by" TEXT,
    "worker_id" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "log_lines" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_log_chunk" (
    "task_id" BIGINT NOT NULL,
    "first_n" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "meta" BYTEA NOT NULL,

    CONSTRAINT "task_log_chunk_pkey" PRIMARY KEY ("task_id","first_n")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL,
    "user" TEXT NOT NULL,
    "token_name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "node_name_key" ON "node"("name");

-- CreateIndex
CREATE UNIQUE INDEX "task_upid_key" ON "task"("upid");

-- CreateIndex
CREATE INDEX "task_start_time_id_idx" ON "task"("start_time" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "task_node_start_time_idx" ON "task"("node", "start_time" DESC);

-- CreateIndex
CREATE INDEX "task_node_id_status_idx" ON "task"("node_id", "status");

-- CreateIndex
CREATE INDEX "task_type_start_time_idx" ON "task"("type", "start_time" DESC);

-- CreateIndex
CREATE INDEX "task_user_start_time_idx" ON "task"("user", "start_time" DESC);

-- CreateIndex
CREATE INDEX "task_status_start_time_idx" ON "task"("status", "start_time" DESC);

-- CreateIndex
CREATE INDEX "task_is_error_start_time_idx" ON "task"("is_error", "start_time" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_token_secret_hash_key" ON "api_token"("secret_hash");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_user_token_name_key" ON "api_token"("user", "token_name");

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_log_chunk" ADD CONSTRAINT "task_log_chunk_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
