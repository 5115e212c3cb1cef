import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import {
  applyChanges,
  Change,
  enabledRepos,
  listKeys,
  packageSize,
  planUpgrade,
  repoFails,
  repoForKey,
  suiteLabel,
  upgradable,
} from '../model/apt';
import { archiveKeys } from '../model/repositories';
import { packageArch } from '../model/package-catalog';
import { kernelInstallLines } from './apt-kernel';

const LISTS_LOCK = (l: { process: string; pid: number }): string =>
  `E: Could not get lock /var/lib/apt/lists/lock. It is held by process ${l.pid} (${l.process})\nN: Be aware that removing the lock file is not a solution and may break your system.\nE: Unable to lock directory /var/lib/apt/lists/\n`;
const FRONTEND_LOCK = (l: { process: string; pid: number }): string =>
  `E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process ${l.pid} (${l.process})\nN: Be aware that removing the lock file is not a solution and may break your system.\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n`;
const DEBCONF_NO_TTY =
  'debconf: unable to initialize frontend: Dialog\ndebconf: (Dialog frontend will not work on a dumb terminal, an emacs shell buffer, or without a controlling terminal.)\ndebconf: falling back to frontend: Readline\ndebconf: unable to initialize frontend: Readline\ndebconf: (This frontend requires a controlling tty.)\ndebconf: falling back to frontend: Teletype\ndpkg-preconfigure: unable to re-open stdin: \n';
const APT_CLI_WARNING = '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n';

/** apt-get and apt: update, list, (dist-/full-)upgrade, install. */
export const aptPrograms: Record<string, NodeProgram> = {
  'apt-get': (node, ctx) => aptGet(node, ctx, false),
  apt: (node, ctx) => aptGet(node, ctx, true),
};

function aptGet(node: SimNode, ctx: CommandContext, isApt: boolean): number {
  const args = ctx.argv.slice(1);
  const words: string[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '-c' || a === '-t') i++;
    else if (a.startsWith('--')) flags.add(a.slice(2));
    else if (a.startsWith('-')) for (const c of a.slice(1)) flags.add(c);
    else words.push(a);
  }
  const verb = words.at(0);
  const yes = flags.has('y') || flags.has('yes') || flags.has('assume-yes');
  const simulate = flags.has('s') || flags.has('simulate') || flags.has('dry-run') || flags.has('just-print');
  const lock = node.faults.aptLock;
  if (isApt && verb !== 'list' && verb !== 'policy') ctx.io.stderr.write(APT_CLI_WARNING);
  switch (verb) {
    case 'update':
      if (lock) return (ctx.io.stderr.write(LISTS_LOCK(lock)), 100);
      return update(node, ctx);
    case 'list':
      if (!isApt) break;
      return list(node, ctx, flags);
    case 'upgrade':
    case 'dist-upgrade':
    case 'full-upgrade':
      if (lock && !simulate) return (ctx.io.stderr.write(FRONTEND_LOCK(lock)), 100);
      return upgrade(node, ctx, verb !== 'upgrade', yes, simulate, flags.has('d') || flags.has('download-only'));
    case 'install':
    case 'remove':
    case 'purge':
    case 'autoremove':
      if (lock && !simulate) return (ctx.io.stderr.write(FRONTEND_LOCK(lock)), 100);
      return install(node, ctx, words.slice(1), verb);
    case 'clean':
    case 'autoclean':
    case 'check':
      return 0;
    case undefined:
      ctx.io.stderr.write(
        isApt ? 'apt 2.6.1 (amd64)\nUsage: apt [options] command\n' : 'apt 2.6.1 (amd64)\nUsage: apt-get [options] command\n',
      );
      return 1;
  }
  ctx.io.stderr.write(`E: Invalid operation ${verb}\n`);
  return 100;
}

function update(node: SimNode, ctx: CommandContext): number {
  const previous = listKeys(node);
  const fetched = new Set<string>();
  const errors: string[] = [];
  let text = '';
  enabledRepos(node).forEach((repo, i) => {
    const n = i + 1;
    const where = `${repo.uri} ${repo.suite}`;
    if (repoFails(node, repo)) {
      text += `Err:${n} ${where} InRelease\n  401  Unauthorized [IP: 51.91.38.34 443]\n`;
      errors.push(
        `E: Failed to fetch ${repo.uri}/dists/${repo.suite}/InRelease  401  Unauthorized [IP: 51.91.38.34 443]`,
        `E: The repository '${where} InRelease' is not signed.`,
      );
      return;
    }
    const keys = archiveKeys(repo);
    keys.forEach((k) => fetched.add(k));
    text +=
      keys.length && keys.every((k) => previous.has(k))
        ? `Hit:${n} ${where} InRelease\n`
        : `Get:${n} ${where} InRelease [${(40 + ((n * 7) % 60)).toFixed(1)} kB]\n`;
  });
  text += 'Reading package lists...\n';
  ctx.io.stdout.write(text);
  node.aptListKeys = fetched;
  if (errors.length) {
    ctx.io.stderr.write(
      `${errors.join('\n')}\nN: Updating from such a repository can't be done securely, and is therefore disabled by default.\nN: See apt-secure(8) manpage for repository creation and user configuration details.\n`,
    );
    return 100;
  }
  return 0;
}

function list(node: SimNode, ctx: CommandContext, flags: Set<string>): number {
  ctx.io.stderr.write(APT_CLI_WARNING);
  let text = 'Listing...\n';
  if (flags.has('upgradable') || flags.has('upgradeable')) {
    for (const u of upgradable(node))
      text += `${u.name}/${suiteLabel(u.key, u.name)} ${u.to} ${packageArch(u.name)} [upgradable from: ${u.from}]\n`;
  } else if (flags.has('installed')) {
    for (const name of node.packages.names().sort()) text += `${name}/now ${node.packages.get(name)} ${packageArch(name)} [installed]\n`;
  }
  ctx.io.stdout.write(text);
  return 0;
}

const wrap = (names: string[]): string => {
  const lines: string[] = [];
  let cur = ' ';
  for (const n of names) {
    if (cur.length + n.length + 1 > 79 && cur.trim()) {
      lines.push(cur);
      cur = ' ';
    }
    cur += ` ${n}`;
  }
  if (cur.trim()) lines.push(cur);
  return lines.join('\n') + '\n';
};

const mb = (bytes: number): string => (bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.round(bytes / 1e3)} kB`);

function upgrade(node: SimNode, ctx: CommandContext, dist: boolean, yes: boolean, simulate: boolean, downloadOnly: boolean): number {
  const plan = planUpgrade(node, dist);
  const all = [...plan.installs, ...plan.upgrades];
  let text = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\nCalculating upgrade...\n';
  if (plan.installs.length) text += `The following NEW packages will be installed:\n${wrap(plan.installs.map((c) => c.name))}`;
  if (plan.keptBack.length) text += `The following packages have been kept back:\n${wrap(plan.keptBack.map((c) => c.name))}`;
  if (plan.upgrades.length) text += `The following packages will be upgraded:\n${wrap(plan.upgrades.map((c) => c.name))}`;
  text += `${plan.upgrades.length} upgraded, ${plan.installs.length} newly installed, 0 to remove and ${plan.keptBack.length} not upgraded.\n`;
  if (!all.length) return (ctx.io.stdout.write(text), 0);
  if (simulate) {
    for (const c of plan.upgrades) text += `Inst ${c.name} [${c.from}] (${c.to} ${origin(c)} [${packageArch(c.name)}])\n`;
    for (const c of plan.installs) text += `Inst ${c.name} (${c.to} ${origin(c)} [${packageArch(c.name)}])\n`;
    for (const c of all) text += `Conf ${c.name} (${c.to} ${origin(c)} [${packageArch(c.name)}])\n`;
    return (ctx.io.stdout.write(text), 0);
  }
  const total = all.reduce((s, c) => s + packageSize(c.name), 0);
  text += `Need to get ${mb(total)} of archives.\n`;
  if (!downloadOnly) text += `After this operation, ${mb(total * 5)} of additional disk space will be used.\n`;
  if (!yes) {
    ctx.io.stdout.write(text + 'Do you want to continue? [Y/n] Abort.\n');
    return 1;
  }
  if (ctx.env.get('DEBIAN_FRONTEND') !== 'noninteractive') ctx.io.stderr.write(DEBCONF_NO_TTY);
  all.forEach((c, i) => {
    const repo = repoForKey(node, c.key);
    text += `Get:${i + 1} ${repo?.uri ?? 'http://download.proxmox.com/debian/pve'} ${repo?.suite ?? node.codename}/${repo?.components[0] ?? 'main'} amd64 ${c.name} ${packageArch(c.name)} ${c.to} [${mb(packageSize(c.name))}]\n`;
  });
  text += `Fetched ${mb(total)} in 3s (35.0 MB/s)\n`;
  // -d / --download-only: the archives land in /var/cache/apt/archives, nothing is unpacked.
  if (downloadOnly) return (ctx.io.stdout.write(`${text}Download complete and in download only mode\n`), 0);
  text += '(Reading database ... 75432 files and directories currently installed.)\n';
  for (const c of all) {
    const deb = `${c.name}_${c.to.replace(/^\d+:/, '')}_${packageArch(c.name)}.deb`;
    if (!c.from) text += `Selecting previously unselected package ${c.name}.\n`;
    text += `Preparing to unpack .../${deb} ...\nUnpacking ${c.name} (${c.to})${c.from ? ` over (${c.from})` : ''} ...\n`;
  }
  ctx.io.stdout.write(text);
  text = '';
  const kernels = all.filter((c) => /-pve-signed$/.test(c.name));
  applyChanges(node, all);
  for (const c of all) {
    ctx.io.stdout.write(`Setting up ${c.name} (${c.to}) ...\n`);
    if (kernels.includes(c)) kernelInstallLines(node, ctx, `${c.to}-pve`);
  }
  const manager = node.packages.get('pve-manager');
  ctx.io.stdout.write(
    `Processing triggers for man-db (2.11.2-2) ...\nProcessing triggers for pve-manager (${manager}) ...\nProcessing triggers for pve-ha-manager (${node.packages.get('pve-ha-manager')}) ...\n`,
  );
  if (all.some((c) => c.name === 'pve-manager')) node.log('pveproxy', 'pveproxy', 'received signal HUP', 1444);
  return 0;
}

const origin = (c: Change): string => (c.key.startsWith('debian') ? 'Debian:stable' : 'Proxmox VE:stable');

function install(node: SimNode, ctx: CommandContext, names: string[], verb: string): number {
  let text = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';
  if (verb === 'install') {
    for (const n of names) {
      const v = node.packages.get(n.split('=')[0]);
      if (v) text += `${n} is already the newest version (${v}).\n`;
      else {
        ctx.io.stdout.write(text);
        ctx.io.stderr.write(`E: Unable to locate package ${n}\n`);
        return 100;
      }
    }
  }
  text += '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n';
  ctx.io.stdout.write(text);
  return 0;
}
