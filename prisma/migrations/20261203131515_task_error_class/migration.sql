-- AlterTable
ALTER TABLE "task" ADD COLUMN     "error_class" TEXT;

-- CreateIndex
CREATE INDEX "node_lease_task_id_idx" ON "node"("lease_task_id");
