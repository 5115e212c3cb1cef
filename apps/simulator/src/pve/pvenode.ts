import type { NodeProgram } from '../model/node';
import { acme, certInfo } from './certs';
import { migrateAll } from './migrate';
import { acmePlugin } from './pvenode-acme';
import { nodeConfig } from './pvenode-config';
import { die, pveOptions } from './util';

/** `pvenode`: cert info, acme (accounts, plugins, certificates), config, migrateall. */
export const pvenodePrograms: Record<string, NodeProgram> = {
  pvenode: (node, ctx) => {
    const [group, ...rest] = ctx.argv.slice(1);
    const { opts, positional } = pveOptions(rest);
    switch (group) {
      case 'cert':
        if (positional[0] === 'info') return certInfo(node, ctx, opts);
        break;
      case 'acme':
        if (positional[0] === 'plugin') return acmePlugin(node, ctx, positional.slice(1), opts);
        return acme(node, ctx, positional, opts);
      case 'config':
        return nodeConfig(node, ctx, positional[0], opts);
      case 'migrateall':
        return migrateAll(node, ctx, positional[0], opts);
    }
    return die(ctx, `ERROR: unknown command 'pvenode ${[group, ...rest].join(' ')}'\nUSAGE: pvenode <COMMAND> [ARGS] [OPTIONS]`);
  },
};
