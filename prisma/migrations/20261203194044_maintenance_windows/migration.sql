-- CreateTable
CREATE TABLE "maintenance_window" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "selector" JSONB,
    "clusters" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "timezone" TEXT NOT NULL,
    "weekly" JSONB,
    "rrule" TEXT,
    "duration_minutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "maintenance_window_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenance_window_revision" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "document" JSONB,
    "diff" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "maintenance_window_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "maintenance_window_name_key" ON "maintenance_window"("name");

-- CreateIndex
CREATE UNIQUE INDEX "maintenance_window_revision_name_n_key" ON "maintenance_window_revision"("name", "n");
