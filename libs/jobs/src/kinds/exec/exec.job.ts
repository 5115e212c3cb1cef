import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { shellQuote } from '../../shell-quote';

/**
 * One program with its arguments on every selected node: what `ansible -m raw` or `parallel-ssh`
 * are used for, without a shell string. Each argument is one word, quoted, so nothing the caller
 * sends is ever interpreted by the node's shell. Mutating (serialised per node) unless the caller
 * declares it read-only.
 */
export const execSpec = z.strictObject({
  argv: z
    .array(
      z
        .string()
        .max(4_096, 'must be at most 4096 characters')
        .refine((a) => !/[\0\n\r]/.test(a), 'must not contain NUL or line breaks'),
    )
    .min(1, 'must name a program')
    .max(64, 'at most 64 arguments')
    .refine((argv) => /^[A-Za-z0-9_./+-]{1,255}$/.test(argv[0] ?? '') && !argv[0].split('/').includes('..'), {
      error: 'the program must be a name or path of [A-Za-z0-9_./+-]',
      path: [0],
    }),
  /** The caller's promise that the program changes nothing: it then runs beside a node's mutating tasks. */
  readOnly: z.boolean().default(false),
  timeoutSeconds: z.number().int().min(1).max(86_400).optional(),
});
export type ExecSpec = z.infer<typeof execSpec>;

export const execJob: JobKindOf<'exec', typeof execSpec> = {
  type: 'exec',
  mutating: true,
  readBack: {
    by: 'none',
    why: 'an arbitrary program: only its exit code says how it went, nothing on the node tells whether it did what the caller meant',
  },
  description: 'Run one program with arguments (argv, each quoted; no shell string)',
  spec: execSpec,
  isMutating: (spec) => !spec.readOnly,
  plan: (spec) => ({
    steps: [{ command: spec.argv.map(shellQuote).join(' '), ...(spec.timeoutSeconds ? { timeoutMs: spec.timeoutSeconds * 1000 } : {}) }],
  }),
};
