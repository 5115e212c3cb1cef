-- AlterTable
ALTER TABLE "node" ADD COLUMN     "facts_error" TEXT,
ADD COLUMN     "facts_error_at" TIMESTAMPTZ(3),
ADD COLUMN     "observed" JSONB;

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "desired_field" TEXT,
ADD COLUMN     "reconcile_id" INTEGER;

-- CreateTable
CREATE TABLE "profile" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "selector" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_override" (
    "node_id" INTEGER NOT NULL,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_override_pkey" PRIMARY KEY ("node_id")
);

-- CreateTable
CREATE TABLE "desired_revision" (
    "id" BIGSERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "document" JSONB,
    "diff" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "desired_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_drift" (
    "node_id" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "desired" JSONB NOT NULL,
    "observed" JSONB,
    "reason" TEXT,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_drift_pkey" PRIMARY KEY ("node_id","field")
);

-- CreateTable
CREATE TABLE "reconcile" (
    "id" SERIAL NOT NULL,
    "user" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "tasks" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconcile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fleet_setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fleet_setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "profile_name_key" ON "profile"("name");

-- CreateIndex
CREATE UNIQUE INDEX "desired_revision_subject_name_n_key" ON "desired_revision"("subject", "name", "n");

-- CreateIndex
CREATE INDEX "node_drift_status_field_idx" ON "node_drift"("status", "field");

-- AddForeignKey
ALTER TABLE "node_override" ADD CONSTRAINT "node_override_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_drift" ADD CONSTRAINT "node_drift_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
