import type { SecretBox } from '@pvefleet/secrets';
import type { Credential } from './node.schemas';

/** Credentials are sealed with the node's name as context: a sealed blob only opens for its own node. */
export function sealCredential(box: SecretBox, nodeName: string, c: Credential): { credentialType: string; credential: string } {
  return { credentialType: c.type, credential: box.seal(JSON.stringify(c), `node:${nodeName}`) };
}

export function openCredential(box: SecretBox, nodeName: string, sealed: string): Credential {
  return JSON.parse(box.open(sealed, `node:${nodeName}`)) as Credential;
}
