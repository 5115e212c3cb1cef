#!/usr/bin/env bash
# `npm run demo`: everything on this machine with embedded defaults (Postgres, Redis, API, worker and
# a simulated 5-node Proxmox cluster). Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh demo
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
# Build only when a source is newer than the last build.
if [ ! -f dist/.built ] || [ -n "$(find apps libs prisma -newer dist/.built -type f -print -quit)" ]; then
  npm run build
  touch dist/.built
fi
exec node scripts/demo.mjs "$@"
