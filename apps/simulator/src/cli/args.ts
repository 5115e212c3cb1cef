import { readFileSync } from 'node:fs';
import type { ClusterSpec, SimulatorOptions } from '../options';

export const HELP = `Usage: npm run start:simulator -- [options]

  --nodes N               nodes per cluster (default 5)
  --clusters C            number of clusters (default 1; names pvelab, pvelab2, …)
  --cluster NAME:N        add a named cluster of N nodes (repeatable; overrides --clusters)
  --standalone N          standalone nodes (no cluster), named pve-sa1…
  --pve 8|9               PVE major version of every node (default 8)
  --ceph                  clusters run hyper-converged Ceph
  --host ADDR             listen address of every node (default 127.0.0.1; containers: 0.0.0.0)
  --base-port P           node i listens on P+i-1 (default 10022; 0 = any free port)
  --shared-port P         every node listens on P at its own address 127.1.x.y
  --control-port P        HTTP control API port (default 10021; 0 = any free port)
  --no-control            no HTTP control API
  --user NAME             login user (default root)
  --password PW           accepted password (default simulator)
  --no-password           disable password authentication
  --authorized-keys FILE  OpenSSH public keys accepted for key authentication
  --reboot-delay MS       how long a reboot keeps the node down (default 2000)
  --enterprise-repos      seed the stock enterprise-only APT layout
  --subscription          nodes have a subscription (enterprise repos work)
  --timesyncd             use systemd-timesyncd instead of chrony
  --seed S                seed for host keys and ids (default: clock)
  --help                  this text
`;

/** Turns argv into SimulatorOptions; throws on an unknown flag. */
export function parseCliArgs(argv: string[]): SimulatorOptions | 'help' {
  const o: SimulatorOptions = { basePort: 10022, controlPort: 10021, rebootDelayMs: 2000 };
  let nodes = 5;
  let clusterCount = 1;
  let pve: 8 | 9 = 8;
  let ceph = false;
  const named: ClusterSpec[] = [];
  const auth: NonNullable<SimulatorOptions['auth']> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv.at(++i);
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--help':
      case '-h':
        return 'help';
      case '--nodes':
        nodes = Number(next());
        break;
      case '--clusters':
        clusterCount = Number(next());
        break;
      case '--cluster': {
        const parts = next().split(':');
        named.push({ name: parts[0], nodes: Number(parts.at(1) ?? 3) });
        break;
      }
      case '--standalone':
        o.standalone = { count: Number(next()) };
        break;
      case '--pve':
        pve = next() === '9' ? 9 : 8;
        break;
      case '--ceph':
        ceph = true;
        break;
      case '--host':
        o.host = next();
        break;
      case '--base-port':
        o.basePort = Number(next());
        break;
      case '--shared-port':
        o.sharedPort = Number(next());
        break;
      case '--control-port':
        o.controlPort = Number(next());
        break;
      case '--no-control':
        o.controlPort = false;
        break;
      case '--user':
        auth.user = next();
        break;
      case '--password':
        auth.password = next();
        break;
      case '--no-password':
        auth.password = null;
        break;
      case '--authorized-keys':
        auth.authorizedKeys = readFileSync(next(), 'utf8')
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('#'));
        break;
      case '--reboot-delay':
        o.rebootDelayMs = Number(next());
        break;
      case '--enterprise-repos':
        o.repositories = 'enterprise';
        break;
      case '--subscription':
        o.subscription = true;
        break;
      case '--timesyncd':
        o.timesync = 'timesyncd';
        break;
      case '--seed':
        o.seed = next();
        break;
      default:
        throw new Error(`unknown option: ${a}`);
    }
  }
  const clusters: ClusterSpec[] = named.length
    ? named
    : Array.from({ length: clusterCount }, (_, i) => ({
        name: i === 0 ? 'pvelab' : `pvelab${i + 1}`,
        nodes,
        namePrefix: clusterCount === 1 ? 'pve' : undefined,
      }));
  o.clusters = clusters.map((c) => ({ ...c, pveMajor: pve, ceph }));
  if (o.standalone && !named.length && argv.indexOf('--nodes') < 0 && argv.indexOf('--clusters') < 0) o.clusters = [];
  o.auth = auth;
  return o;
}
