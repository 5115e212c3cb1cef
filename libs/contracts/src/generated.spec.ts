import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateContractFiles } from './generate';

const dir = join(__dirname, '..', 'generated');

describe('libs/contracts/generated', () => {
  // Committed, not built: typecheck and the tests need the client's types before any build runs.
  it('is what the contracts produce now (else run npm run contracts:generate)', async () => {
    const { json, dts } = await generateContractFiles();
    expect(readFileSync(join(dir, 'openapi.json'), 'utf8')).toBe(json);
    expect(readFileSync(join(dir, 'openapi.d.ts'), 'utf8')).toBe(dts);
  });
});
