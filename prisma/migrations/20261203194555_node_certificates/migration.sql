-- CreateTable
CREATE TABLE "node_certificate" (
    "id" BIGSERIAL NOT NULL,
    "node_id" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "san" TEXT[],
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_certificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "node_certificate_node_id_seen_at_idx" ON "node_certificate"("node_id", "seen_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "node_certificate_node_id_fingerprint_key" ON "node_certificate"("node_id", "fingerprint");

-- AddForeignKey
ALTER TABLE "node_certificate" ADD CONSTRAINT "node_certificate_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill (hand-written): the certificate each node's stored facts show, first seen when they were read
INSERT INTO "node_certificate" ("node_id", "fingerprint", "subject", "issuer", "san", "not_before", "not_after", "seen_at")
SELECT "id", upper("facts"->'certificate'->>'fingerprint'), coalesce("facts"->'certificate'->>'subject', ''),
       coalesce("facts"->'certificate'->>'issuer', ''),
       ARRAY(SELECT jsonb_array_elements_text(coalesce("facts"->'certificate'->'san', '[]'::jsonb))),
       to_timestamp(("facts"->'certificate'->>'notBefore')::float8), to_timestamp(("facts"->'certificate'->>'notAfter')::float8),
       coalesce("facts_at", now())
FROM "node"
WHERE jsonb_typeof("facts"->'certificate') = 'object' AND coalesce("facts"->'certificate'->>'fingerprint', '') <> ''
  AND jsonb_typeof("facts"->'certificate'->'notAfter') = 'number' AND jsonb_typeof("facts"->'certificate'->'notBefore') = 'number'
