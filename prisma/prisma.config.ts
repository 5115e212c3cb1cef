import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file; migrations run through scripts/migrate.mjs (see DEVELOPERS.md).
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/pvefleet' },
});
