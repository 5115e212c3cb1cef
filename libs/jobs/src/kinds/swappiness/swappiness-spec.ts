import { z } from 'zod';

/** `vm.swappiness`: 0 (swap only to avoid running out of memory) to 100 (swap aggressively); the kernel's default is 60. */
export const swappinessValue = z.number().int('must be an integer').min(0, 'must be 0-100').max(100, 'must be 0-100');

/** What a `swappiness` task sets; the seed advises 10 for servers, above all on ZFS. */
export const swappinessSpec = z.strictObject({ swappiness: swappinessValue });

export type SwappinessSpec = z.infer<typeof swappinessSpec>;
