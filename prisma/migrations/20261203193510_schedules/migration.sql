-- AlterTable
ALTER TABLE "task" ADD COLUMN     "held" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "schedule_run_id" INTEGER,
ADD COLUMN     "start_after" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "schedule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "selector" JSONB NOT NULL,
    "action" JSONB NOT NULL,
    "spread" INTEGER NOT NULL DEFAULT 0,
    "missed_run" TEXT NOT NULL DEFAULT 'skip',
    "overlap" TEXT NOT NULL DEFAULT 'skip',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "builtin" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "last_fire_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_revision" (
    "id" BIGSERIAL NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "document" JSONB,
    "diff" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "schedule_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_run" (
    "id" SERIAL NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "fire_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "schedule_name_key" ON "schedule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_builtin_key" ON "schedule"("builtin");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_revision_schedule_id_n_key" ON "schedule_revision"("schedule_id", "n");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_run_schedule_id_fire_at_key" ON "schedule_run"("schedule_id", "fire_at");

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_schedule_run_id_fkey" FOREIGN KEY ("schedule_run_id") REFERENCES "schedule_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_run" ADD CONSTRAINT "schedule_run_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma cannot declare partial indexes, see DEVELOPERS.md). Held tasks are the
-- scheduled ones waiting for their start time: the worker's task release loop reads them by
-- start_after every second, a handful among a million tasks.
CREATE INDEX "task_held_idx" ON "task"("start_after") WHERE "held";

-- A schedule run's tasks (run counts by status, GET /tasks?scheduleRun=): only scheduled tasks have one.
CREATE INDEX "task_schedule_run_idx" ON "task"("schedule_run_id") WHERE "schedule_run_id" IS NOT NULL;
