-- AlterTable
ALTER TABLE "task" ADD COLUMN     "connect_wait_ms" INTEGER;
