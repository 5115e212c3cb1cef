import { z } from 'zod';
import { ntpServer } from '../../formats';

/** What an `ntp` task applies: the servers, and whether the distribution's pool stays in use. */
export const ntpSpec = z.strictObject({
  /** IP addresses or DNS names, in order of preference; at most 10, no duplicates. */
  servers: z
    .array(ntpServer)
    .min(1, 'at least one server')
    .max(10, 'at most 10 servers')
    .superRefine((servers, ctx) => {
      servers.forEach((s, i) => {
        if (servers.findIndex((o) => o.toLowerCase() === s.toLowerCase()) < i)
          ctx.addIssue({ code: 'custom', path: [i], message: `duplicate server '${s}'` });
      });
    }),
  /**
   * chrony: comment out the `pool` lines of chrony.conf (then chrony must restart); false leaves
   * chrony.conf alone, so a pool disabled earlier stays disabled. timesyncd: an empty `FallbackNTP=`
   * in pvefleet's drop-in (which is rewritten as a whole, so false brings Debian's fallback back).
   */
  disablePool: z.boolean().default(false),
  /** chrony's `iburst`: a quick first synchronisation (four requests instead of one). */
  iburst: z.boolean().default(true),
  /** How long the task waits for the clock to be synchronised after applying. */
  syncTimeoutSeconds: z.number().int('must be an integer').min(1, 'must be 1-3600').max(3600, 'must be 1-3600').default(60),
});

export type NtpSpec = z.infer<typeof ntpSpec>;
