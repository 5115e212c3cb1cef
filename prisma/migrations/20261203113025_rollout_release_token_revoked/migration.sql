-- AlterTable
ALTER TABLE "api_token" ADD COLUMN     "revoked_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "rollout" ADD COLUMN     "abort_leave_maintenance" BOOLEAN;

-- AlterTable
ALTER TABLE "rollout_node" ADD COLUMN     "release" JSONB;
