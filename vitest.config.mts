import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';
import { fileURLToPath } from 'node:url';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const libs = [
  'errors',
  'contracts',
  'config',
  'db',
  'secrets',
  'ssh',
  'tasks',
  'jobs',
  'nodes',
  'rollouts',
  'logging',
  'desired',
  'schedules',
  'alerts',
  'certificates',
];
// Exact matches: '@pvefleet/simulator' must not swallow '@pvefleet/simulator/testing'.
const alias = [
  ...libs.map((lib) => ({ find: new RegExp(`^@pvefleet/${lib}$`), replacement: here(`./libs/${lib}/src/index.ts`) })),
  { find: /^@pvefleet\/tasks\/run$/, replacement: here('./libs/tasks/src/run/index.ts') },
  { find: /^@pvefleet\/desired\/state$/, replacement: here('./libs/desired/src/state/index.ts') },
  { find: /^@pvefleet\/schedules\/state$/, replacement: here('./libs/schedules/src/state/index.ts') },
  { find: /^@pvefleet\/nodes\/access$/, replacement: here('./libs/nodes/src/access/index.ts') },
  { find: /^@pvefleet\/simulator$/, replacement: here('./apps/simulator/src/index.ts') },
  { find: /^@pvefleet\/simulator\/testing$/, replacement: here('./apps/simulator/src/testing/index.ts') },
];

// SWC, not esbuild: Nest's DI needs emitted decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2022' } })];

/**
 * Three tiers. unit: pure code beside its sources, no services. integration: real Postgres and Redis
 * (the run's private instances), no SSH and no built apps. e2e: the built apps as processes, the
 * simulator, OpenSSH.
 */
export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    projects: [
      { plugins, resolve: { alias }, test: { name: 'unit', include: ['{apps,libs}/**/*.spec.ts'], environment: 'node' } },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int-spec.ts'],
          environment: 'node',
          globalSetup: ['test/setup/integration-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts', 'apps/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
