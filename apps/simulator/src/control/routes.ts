import type { Simulator } from '../simulator';
import { REBOOT_BEHAVIOURS } from '../faults/types';
import type { Handler, Route } from './http-api';
import { SMART_STATES } from '../model/smart';
import { commandFaultSpec, diskState, oneOf, optNumber, optString, optStrings, str } from './bodies';

function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' +
      path.replace(/:(\w+)/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      }) +
      '/?$',
  );
  return { method, pattern, keys, handler };
}

/** Every control route. Bodies are JSON objects; answers are JSON. */
export function routes(sim: Simulator): Route[] {
  return [
    route('GET', '/nodes', () => sim.nodes()),
    route('GET', '/nodes/:node', (p) => sim.state(p.node)),
    route('GET', '/nodes/:node/counters', (p) => sim.counters(p.node)),
    route('GET', '/nodes/:node/history', (p) => sim.history(p.node)),
    route('GET', '/nodes/:node/file', (p) => ({ path: p.path, content: sim.readFile(p.node, p.path) ?? null })),
    route('PUT', '/nodes/:node/file', (p, b) => {
      sim.writeFile(p.node, str(b.path, p.path), str(b.content));
    }),
    route('DELETE', '/nodes/:node/file', (p, b) => ({ removed: sim.removeFile(p.node, str(b.path, p.path)) })),
    route('POST', '/nodes/:node/exec', (p, b) => sim.exec(p.node, str(b.command), str(b.stdin))),
    route('POST', '/nodes/:node/faults', (p, b) => ({ id: sim.addCommandFault(p.node, commandFaultSpec(b)) })),
    route('DELETE', '/nodes/:node/faults/:id', (p) => {
      sim.clearCommandFaults(p.node, p.id);
    }),
    route('DELETE', '/nodes/:node/faults', (p) => {
      sim.clearFaults(p.node);
    }),
    route('POST', '/nodes/:node/offline', (p) => {
      sim.setOffline(p.node);
    }),
    route('POST', '/nodes/:node/online', (p, b) => sim.setOnline(p.node, { reboot: b.reboot !== false })),
    route('POST', '/nodes/:node/refuse-connections', (p, b) => {
      sim.refuseConnections(p.node, b.mode === 'reset' ? 'reset' : 'refuse');
    }),
    route('POST', '/nodes/:node/accept-connections', (p) => sim.acceptConnections(p.node)),
    route('POST', '/nodes/:node/reject-auth', (p, b) => {
      sim.rejectAuth(p.node, b.reject !== false);
    }),
    route('POST', '/nodes/:node/rotate-host-key', (p) => ({ hostKeyFingerprint: sim.rotateHostKey(p.node) })),
    route('POST', '/nodes/:node/clock', (p, b) => {
      sim.setClockSynced(p.node, b.synced !== false);
    }),
    route('POST', '/nodes/:node/unsync-clock', (p) => {
      sim.setClockSynced(p.node, false);
    }),
    route('POST', '/nodes/:node/sync-clock', (p) => {
      sim.setClockSynced(p.node, true);
    }),
    route('POST', '/nodes/:node/age-certificate', (p, b) => {
      sim.ageCertificate(p.node, Number(b.days ?? 60));
    }),
    route('POST', '/nodes/:node/stale-served-certificate', (p) => {
      sim.keepServedCertificate(p.node);
    }),
    route('DELETE', '/nodes/:node/stale-served-certificate', (p) => {
      sim.reloadPveproxy(p.node);
    }),
    route('POST', '/nodes/:node/reboot-behaviour', (p, b) => {
      sim.setRebootBehaviour(p.node, oneOf(b.mode, REBOOT_BEHAVIOURS, 'mode', 'normal'));
    }),
    route('POST', '/nodes/:node/apt-lock', (p, b) => {
      sim.holdAptLock(p.node, { process: optString(b.process, 'process'), pid: optNumber(b.pid, 'pid') });
    }),
    route('DELETE', '/nodes/:node/apt-lock', (p) => {
      sim.releaseAptLock(p.node);
    }),
    route('POST', '/nodes/:node/acme-failure', (p, b) => {
      sim.failAcme(p.node, optString(b.message, 'message'));
    }),
    route('DELETE', '/nodes/:node/acme-failure', (p) => {
      sim.clearAcmeFailure(p.node);
    }),
    route('POST', '/nodes/:node/disks/:disk', (p, b) => {
      sim.setDiskState(p.node, p.disk, diskState(b));
    }),
    route('POST', '/nodes/:node/disks/:disk/smart', (p, b) => {
      sim.setSmart(p.node, p.disk, oneOf(b.state, SMART_STATES, 'state', 'healthy'));
    }),
    route('POST', '/nodes/:node/interfaces/:iface/down', (p) => {
      sim.setInterfaceDown(p.node, p.iface, true);
    }),
    route('POST', '/nodes/:node/interfaces/:iface/up', (p) => {
      sim.setInterfaceDown(p.node, p.iface, false);
    }),
    route('GET', '/nodes/:node/network', (p) => sim.network(p.node)),
    route('GET', '/nodes/:node/timers', (p) => sim.timers(p.node)),
    route('POST', '/nodes/:node/pve8to9', (p, b) => {
      sim.setPve8to9(p.node, { warnings: optStrings(b.warnings, 'warnings'), failures: optStrings(b.failures, 'failures') });
    }),
    route('GET', '/clusters', () => sim.clusters.map((c) => sim.clusterState(c.name))),
    route('GET', '/clusters/:cluster', (p) => sim.clusterState(p.cluster)),
    route('POST', '/clusters/:cluster/break-quorum', (p) => {
      sim.breakQuorum(p.cluster);
    }),
    route('POST', '/clusters/:cluster/restore-quorum', (p) => {
      sim.restoreQuorum(p.cluster);
    }),
    route('POST', '/guests/:vmid/fail-migration', (p, b) => {
      sim.failMigration(Number(p.vmid), optString(b.reason, 'reason'));
    }),
    route('DELETE', '/guests/:vmid/fail-migration', (p) => {
      sim.clearMigrationFailure(Number(p.vmid));
    }),
  ];
}
