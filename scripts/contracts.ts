// `npm run contracts:generate`: writes the OpenAPI document and the typed client's `paths` from libs/contracts.
// They are committed (a unit test fails when they are stale), so typecheck and tests need no build first.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateContractFiles } from '../libs/contracts/src/generate';

const out = resolve(__dirname, '..', 'libs', 'contracts', 'generated');
generateContractFiles().then(
  ({ json, dts }) => {
    writeFileSync(join(out, 'openapi.json'), json);
    writeFileSync(join(out, 'openapi.d.ts'), dts);
    process.stdout.write(`contracts: wrote ${join(out, 'openapi.json')} and openapi.d.ts\n`);
  },
  (err: unknown) => {
    process.stderr.write(`contracts: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
