import type { NodeProgram } from '../model/node';
import { fail, out } from '../shell/command';

/** `apt-mark hold|unhold PKG…` and `apt-mark showhold`, with apt's messages and exit 100 on an unknown package. */
export const aptMarkPrograms: Record<string, NodeProgram> = {
  'apt-mark': (node, ctx) => {
    const [verb, ...names] = ctx.argv.slice(1).filter((a) => !a.startsWith('-')) as [string | undefined, ...string[]];
    if (verb === 'showhold') {
      out(
        ctx,
        [...node.heldPackages]
          .sort()
          .map((p) => `${p}\n`)
          .join(''),
      );
      return 0;
    }
    if (verb !== 'hold' && verb !== 'unhold') return fail(ctx, `E: Invalid operation ${verb ?? ''}`, 100);
    if (!names.length) return fail(ctx, 'E: No packages found', 100);
    let code = 0;
    for (const name of names) {
      if (node.packages.get(name) === undefined) {
        code = fail(ctx, `E: Unable to locate package ${name}`, 100);
        continue;
      }
      const held = node.heldPackages.has(name);
      if (verb === 'hold') {
        out(ctx, held ? `${name} was already set on hold.\n` : `${name} set on hold.\n`);
        node.heldPackages.add(name);
      } else {
        out(ctx, held ? `Canceled hold on ${name}.\n` : `${name} was already not on hold.\n`);
        node.heldPackages.delete(name);
      }
    }
    return code;
  },
};
