#!/usr/bin/env bash
# `npm test`: from a fresh clone on Debian with Node 20, installs what is missing, builds, and runs
# every check in order, cheapest first: lint, unit, integration (real Postgres and Redis), e2e (the
# built apps against Postgres, Redis and OpenSSH), then every benchmark at smoke size.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh test
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

# ---- lint ---------------------------------------------------------------------------------------
# Prettier, ESLint (strict, type-aware: it needs the generated Prisma and Kysely types) and the import walls.
npm run --silent db:generate
npm run lint

npm run build
# Tests, benches and specs are type-checked too (the build covers the apps and libs).
npx tsc -p test/tsconfig.json

# ---- tests, by tier -----------------------------------------------------------------------------
npx vitest run --project unit
npx vitest run --project integration
npx vitest run --project e2e
# Every benchmark at tiny sizes: figures are not judged here, only that each still measures.
npm run bench:smoke
