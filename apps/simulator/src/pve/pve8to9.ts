import type { NodeProgram, SimNode } from '../model/node';
import { out } from '../shell/command';
import { compareDebianVersions } from '../util/debian-version';
import { upgradable } from '../model/apt';
import { readRepositories } from '../model/repositories';
import { unitState } from '../model/services';

type Level = 'PASS' | 'INFO' | 'SKIP' | 'NOTICE' | 'WARN' | 'FAIL';

/**
 * `pve8to9 [--full]`: sections of checks derived from the node's state, plus
 * warnings and failures injected through the control API. Always exits 0;
 * callers parse `FAILURES: N` (pve-commands §3.3). No ANSI colours (no tty).
 */
export const pve8to9Programs: Record<string, NodeProgram> = {
  pve8to9: (node, ctx) => {
    const lines: string[] = [];
    const counts: Record<Level, number> = { PASS: 0, INFO: 0, SKIP: 0, NOTICE: 0, WARN: 0, FAIL: 0 };
    const log = (level: Level, msg: string): void => {
      counts[level]++;
      lines.push(`${level}: ${msg}`);
    };
    const section = (title: string): void => {
      lines.push('', `= ${title} =`, '');
    };
    runChecks(node, log, section, (text) => lines.push(text));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    lines.push(
      '',
      '= SUMMARY =',
      '',
      `TOTAL:    ${total}`,
      `PASSED:   ${counts.PASS}`,
      `SKIPPED:  ${counts.SKIP}`,
      `WARNINGS: ${counts.WARN}`,
      `FAILURES: ${counts.FAIL}`,
    );
    if (counts.WARN || counts.FAIL) lines.push('', 'ATTENTION: Please check the output for detailed information!');
    if (counts.FAIL) lines.push('Try to solve the problems one at a time and then run this checklist tool again.');
    out(ctx, lines.slice(1).join('\n') + '\n');
    return 0;
  },
};

function runChecks(node: SimNode, log: (l: Level, m: string) => void, section: (t: string) => void, say: (text: string) => void): void {
  section('CHECKING VERSION INFORMATION FOR PVE PACKAGES');
  say('Checking for package updates..');
  const pending = upgradable(node).length;
  if (pending)
    log(
      'WARN',
      `updates for the following packages are available:\n      ${upgradable(node)
        .map((u) => u.name)
        .join(', ')}`,
    );
  else log('PASS', 'all packages up-to-date');
  const pve = node.packages.get('proxmox-ve') ?? '0';
  say('Checking proxmox-ve package version..');
  if (node.pveMajor >= 9) log('PASS', `already upgraded to Proxmox VE 9`);
  else if (compareDebianVersions(pve, '8.4.0') >= 0) log('PASS', `proxmox-ve package has version >= 8.4-0`);
  else log('FAIL', `proxmox-ve package is too old, please upgrade to >= 8.4-0!`);
  say('Checking running kernel version..');
  const series = node.runningKernel.split('.').slice(0, 2).join('.');
  const okSeries = node.pveMajor >= 9 ? ['6.14', '6.17', '7.0'] : ['6.2', '6.5', '6.8', '6.11', '6.14'];
  log(
    okSeries.includes(series) ? 'PASS' : 'WARN',
    `running kernel '${node.runningKernel}' is ${okSeries.includes(series) ? 'considered suitable for upgrade' : 'not one of the expected kernels'}.`,
  );

  section('CHECKING CLUSTER HEALTH/SETTINGS');
  if (node.cluster.standalone) log('SKIP', 'standalone node.');
  else {
    for (const unit of ['pve-cluster', 'corosync'])
      log(
        unitState(node, unit) === 'active' ? 'PASS' : 'FAIL',
        `systemd unit '${unit}.service' is in state '${unitState(node, unit) ?? 'inactive'}'`,
      );
    if (node.cluster.quorateFor(node)) log('PASS', 'Cluster Filesystem is quorate.');
    else log('FAIL', 'Cluster Filesystem readonly, lost quorum?!');
    const offline = node.cluster.nodes.filter((n) => n.power !== 'online');
    if (offline.length) log('FAIL', `${offline.length} node(s) are offline: ${offline.map((n) => n.name).join(', ')}`);
    else log('PASS', `all ${node.cluster.nodes.length} nodes are online`);
  }

  section('CHECKING HYPER-CONVERGED CEPH STATUS');
  if (!node.cluster.ceph) log('SKIP', 'no hyper-converged ceph setup detected!');
  else {
    const v = node.packages.get('ceph') ?? '0';
    log(
      v.startsWith('19.') ? 'PASS' : 'FAIL',
      v.startsWith('19.') ? 'Ceph Squid installed' : `Ceph ${v} is installed, upgrade to Squid (19) before upgrading to PVE 9!`,
    );
    if (node.cluster.ceph.flags.has('noout')) log('WARN', "'noout' flag set to prevent rebalancing during cluster-wide upgrades.");
  }

  section('MISCELLANEOUS CHECKS');
  const timeUnit = node.timesync === 'chrony' ? 'chrony' : 'systemd-timesyncd';
  if (node.timesync === 'timesyncd')
    log(
      'WARN',
      "systemd-timesyncd is not the best choice for time-keeping on servers, due to only applying updates on boot.\n       It's recommended to use one of:\n         * chrony\n         * ntpsec\n         * openntpd",
    );
  else log(unitState(node, timeUnit) === 'active' ? 'PASS' : 'WARN', `Detected active time synchronisation unit '${timeUnit}'`);
  const repos = readRepositories(node.fs).filter((r) => r.enabled);
  const suites = new Set(repos.map((r) => r.suite.replace(/-(updates|security)$/, '')));
  if (suites.has('bookworm') && suites.has('trixie'))
    log('FAIL', 'found mixed old and new package repository suites, fix before upgrading!');
  else log('PASS', 'found no suite mismatch');
  if (repos.some((r) => r.suite.startsWith('trixie') && r.components.includes('pvetest')))
    log('FAIL', "found 'pvetest' component together with trixie, use 'pve-test' instead!");
  for (const w of node.faults.pve8to9.warnings) log('WARN', w);
  for (const f of node.faults.pve8to9.failures) log('FAIL', f);
}
