import { z } from 'zod';

/**
 * A Debian package name (Debian Policy 5.6.1: lowercase letters, digits, `+ - .`, at least two
 * characters, starting with a letter or digit), optionally with an `:arch` qualifier as
 * `apt-mark showhold` prints foreign-architecture packages.
 */
export const debianPackageName = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9][a-z0-9-]*)?$/,
    'must be a Debian package name: lowercase letters, digits, + - . (at least 2 characters, starting with a letter or digit), optionally :arch',
  );

/** Package names without duplicates: the held set a node should have, or the packages one task changes. */
export const packageList = z
  .array(debianPackageName)
  .max(200, 'at most 200 packages')
  .superRefine((names, ctx) => {
    names.forEach((n, i) => {
      if (names.indexOf(n) < i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate package '${n}'` });
    });
  });

/** What an `apthold` task changes: packages to put on hold and packages to release (`apt-mark hold|unhold`). */
export const aptHoldSpec = z
  .strictObject({
    hold: packageList.default([]),
    unhold: packageList.default([]),
  })
  .superRefine((spec, ctx) => {
    if (!spec.hold.length && !spec.unhold.length)
      ctx.addIssue({ code: 'custom', path: ['hold'], message: 'hold or unhold at least one package' });
    spec.unhold.forEach((n, i) => {
      if (spec.hold.includes(n)) ctx.addIssue({ code: 'custom', path: ['unhold', i], message: `'${n}' is also in hold` });
    });
  });

export type AptHoldSpec = z.infer<typeof aptHoldSpec>;
