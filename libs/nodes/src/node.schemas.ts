import { utils } from 'ssh2';
import { createNodeSchema as createNodeContract, updateNodeSchema as updateNodeContract, type Credential } from '@pvefleet/contracts';
import type { z } from 'zod';

export { credentialSchema, type Credential, type CreateNode, type UpdateNode } from '@pvefleet/contracts';

/** The API's own check on top of the contract: a private key must parse (the contract does not load ssh2). */
function checkKey(credential: Credential | undefined, ctx: z.core.$RefinementCtx): void {
  if (credential?.type !== 'key') return;
  const parsed = utils.parseKey(credential.privateKey, credential.passphrase);
  if (parsed instanceof Error) {
    ctx.addIssue({ code: 'custom', path: ['credential', 'privateKey'], message: `is not a usable private key (${parsed.message})` });
  }
}

export const createNodeSchema = createNodeContract.superRefine((n, ctx) => {
  checkKey(n.credential, ctx);
});
export const updateNodeSchema = updateNodeContract.superRefine((n, ctx) => {
  checkKey(n.credential, ctx);
});
