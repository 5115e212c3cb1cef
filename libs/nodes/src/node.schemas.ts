import { utils } from 'ssh2';
import { z } from 'zod';
import { hostAddress, labels, nodeName, sshUser, tcpPort } from '@pvefleet/jobs';
import { FINGERPRINT_PATTERN } from '@pvefleet/ssh';

const passwordCredential = z.strictObject({
  type: z.literal('password'),
  password: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
});

const keyCredential = z
  .strictObject({
    type: z.literal('key'),
    privateKey: z.string().max(16_384, 'must be at most 16 KiB'),
    passphrase: z.string().max(1024).optional(),
  })
  .superRefine((c, ctx) => {
    const parsed = utils.parseKey(c.privateKey, c.passphrase);
    if (parsed instanceof Error) {
      ctx.addIssue({ code: 'custom', path: ['privateKey'], message: `is not a usable private key (${parsed.message})` });
    }
  });

export const credentialSchema = z.discriminatedUnion('type', [passwordCredential, keyCredential], {
  error: 'must be {"type":"password","password":…} or {"type":"key","privateKey":…}',
});
export type Credential = z.infer<typeof credentialSchema>;

const fingerprint = z.string().regex(FINGERPRINT_PATTERN, 'must be an OpenSSH SHA256 fingerprint (SHA256: and 43 base64 characters)');

export const createNodeSchema = z.strictObject({
  name: nodeName,
  host: hostAddress,
  port: tcpPort.default(22),
  sshUser: sshUser.default('root'),
  credential: credentialSchema,
  hostKeyFingerprint: fingerprint.optional(),
  labels: labels.default({}),
});
export type CreateNode = z.infer<typeof createNodeSchema>;

/** A node's name is its identity (task history refers to it), so it cannot be changed. */
export const updateNodeSchema = z.strictObject({
  host: hostAddress.optional(),
  port: tcpPort.optional(),
  sshUser: sshUser.optional(),
  credential: credentialSchema.optional(),
  /** null forgets the pinned key: the next contact records the key it sees (after a node reinstall). */
  hostKeyFingerprint: fingerprint.nullable().optional(),
  labels: labels.optional(),
});
export type UpdateNode = z.infer<typeof updateNodeSchema>;
