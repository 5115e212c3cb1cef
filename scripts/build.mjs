#!/usr/bin/env node
// `npm run build`: the Prisma client, then each app of nest-cli.json with the Nest CLI (type-check,
// compile, rewrite the @pvefleet/* paths), one after another. Compiling takes tens of seconds and tsc
// prints nothing while it works, so each step says what it is doing before it starts and how long it
// took when it ends: a quiet terminal then never looks like a hang.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const apps = Object.keys(JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')).projects);
const bin = (name) => join(root, 'node_modules', '.bin', name);

const steps = [
  { what: 'Prisma client (prisma generate)', command: 'npm', args: ['run', '--silent', 'db:generate'] },
  ...apps.map((app) => ({ what: `${app}: type-check and compile (nest build ${app})`, command: bin('nest'), args: ['build', app] })),
];

const started = Date.now();
for (const [i, step] of steps.entries()) {
  process.stdout.write(`build ${i + 1}/${steps.length}: ${step.what}…\n`);
  const t0 = Date.now();
  const { status, error } = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit' });
  if (error || status !== 0) {
    process.stderr.write(`build: ${step.what} failed${error ? `: ${error.message}` : ` (exit ${status})`}\n`);
    process.exit(status || 1);
  }
  process.stdout.write(`build ${i + 1}/${steps.length}: done in ${seconds(Date.now() - t0)}\n`);
}
process.stdout.write(`build: dist/ is ready (${seconds(Date.now() - started)})\n`);

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
