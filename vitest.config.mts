import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';
import { fileURLToPath } from 'node:url';

const libs = ['errors', 'contracts', 'config', 'db', 'secrets', 'ssh', 'tasks', 'jobs', 'nodes', 'rollouts'];
const alias = Object.fromEntries(
  libs.map((lib) => [`@pvefleet/${lib}`, fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url))]),
);

// SWC, not esbuild: Nest's DI needs emitted decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2022' } })];

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
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
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
