#!/usr/bin/env node
// Prisma migrations without the native schema-engine binary (which cannot be downloaded here):
// Prisma's own schema engine compiled to Wasm, driven through @prisma/adapter-pg.
// Keeps the standard prisma/migrations layout and the standard _prisma_migrations table, so
// `prisma migrate deploy` on a machine with network access agrees with the history written here.
//
//   node scripts/migrate.mjs deploy          apply pending migrations (npm run db:migrate)
//   node scripts/migrate.mjs create <name>   write a new migration from the schema diff (npm run db:migration)
//   node scripts/migrate.mjs status          print the migration history diagnosis
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const filters = { externalTables: [], externalEnums: [] };

// adapter-pg cannot decode Postgres's internal "char" type (OID 18), which the engine's schema
// describer reads from pg_catalog; reporting it as text (OID 25) is exact for those columns.
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    const patch = (result) => {
      for (const r of Array.isArray(result) ? result : [result]) {
        for (const f of r?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
      }
      return result;
    };
    if (typeof values === 'function') return super.query(config, (err, res) => values(err, err ? res : patch(res)));
    if (typeof callback === 'function') return super.query(config, values, (err, res) => callback(err, err ? res : patch(res)));
    const out = super.query(config, values);
    return out && typeof out.then === 'function' ? out.then(patch) : out;
  }
}

function migrationsList() {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

async function loadEngineModule() {
  const glue = await import(pathToFileURL(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')).href);
  const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

function shadowFactory(databaseUrl) {
  // The engine needs a scratch database to replay migrations when diffing; we make and drop our own.
  return async () => {
    const name = `pvefleet_shadow_${randomUUID().replace(/-/g, '')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2, Client: CharAsTextClient });
    const adapter = await new PrismaPg(pool).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose().catch(() => {});
      await pool.end().catch(() => {});
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    };
    return adapter;
  };
}

async function withEngine(databaseUrl, fn) {
  const glue = await loadEngineModule();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, Client: CharAsTextClient });
  const factory = new PrismaPg(pool);
  factory.connectToShadowDb = shadowFactory(databaseUrl);
  const schemaText = fs.readFileSync(schemaPath, 'utf8');
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine, schemaText);
  } finally {
    engine.free();
    await pool.end().catch(() => {});
  }
}

/** Applies pending migrations; returns the names applied. Safe to run concurrently (the engine locks). */
export async function deployMigrations(databaseUrl) {
  return withEngine(databaseUrl, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: migrationsList(), filters });
    return appliedMigrationNames;
  });
}

async function createMigration(databaseUrl, name) {
  if (!/^[a-z0-9_]+$/.test(name ?? '')) throw new Error('migration name must match [a-z0-9_]+');
  return withEngine(databaseUrl, async (engine, schemaText) => {
    const list = migrationsList();
    const from = list.migrationDirectories.length ? { tag: 'migrations', ...list } : { tag: 'empty' };
    const { stdout: sql } = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters,
    });
    if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) return null;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    const lock = path.join(migrationsDir, 'migration_lock.toml');
    if (!fs.existsSync(lock)) {
      fs.writeFileSync(
        lock,
        '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      );
    }
    return path.relative(root, path.join(dir, 'migration.sql'));
  });
}

async function main() {
  const [command, name] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  if (command === 'deploy') {
    const applied = await deployMigrations(databaseUrl);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
  } else if (command === 'create') {
    const file = await createMigration(databaseUrl, name);
    console.log(file ? `Created ${file}` : 'No schema changes.');
  } else if (command === 'status') {
    const status = await withEngine(databaseUrl, (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters }),
    );
    console.log(JSON.stringify(status, null, 2));
  } else {
    throw new Error('usage: migrate.mjs deploy | create <name> | status');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    // The Wasm engine leaves a ~10 s timer pending; exit explicitly.
    () => process.exit(0),
    (err) => {
      console.error(`migrate: ${err?.message ?? err}`);
      process.exit(1);
    },
  );
}
