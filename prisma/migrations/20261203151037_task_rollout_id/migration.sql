-- AlterTable
ALTER TABLE "task" ADD COLUMN     "rollout_id" INTEGER;
