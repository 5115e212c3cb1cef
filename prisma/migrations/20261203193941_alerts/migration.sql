-- CreateTable
CREATE TABLE "alert_channel" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL,
    "secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule" (
    "rule" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "threshold" INTEGER,
    "channel_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "cursor_at" TIMESTAMPTZ(3),
    "scanned_day" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("rule")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" BIGSERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "node" TEXT,
    "task_upid" TEXT,
    "rollout_id" INTEGER,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "http_status" INTEGER,
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_channel_name_key" ON "alert_channel"("name");

-- CreateIndex
CREATE UNIQUE INDEX "alert_dedupe_key_key" ON "alert"("dedupe_key");

-- CreateIndex
CREATE INDEX "alert_created_at_id_idx" ON "alert"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "alert_node_created_at_id_idx" ON "alert"("node", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "alert_delivery_channel_id_id_idx" ON "alert_delivery"("channel_id", "id" DESC);

-- CreateIndex
CREATE INDEX "alert_delivery_status_idx" ON "alert_delivery"("status");

-- CreateIndex
CREATE UNIQUE INDEX "alert_delivery_alert_id_channel_id_key" ON "alert_delivery"("alert_id", "channel_id");

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma cannot declare a partial index): the alert rules read failed tasks by end
-- time from a cursor, so an index of failed tasks only, in that order.
CREATE INDEX "task_error_end_idx" ON "task"("end_time", "id") WHERE "is_error";
