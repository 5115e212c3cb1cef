// What pvefleet's users run today, set up the way pvefleet is: the same client key, a known_hosts
// holding every simulated node's host key, host-key checking on. Each run is timed from spawn to
// exit; its CPU is the whole process tree's (children waited for, plus Ansible's ControlPersist
// masters, which detach and would otherwise go uncounted).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './harness';
import { childrenCpuSeconds, processesMatching } from './fanout-procs';

export interface PeerNode {
  name: string;
  host: string;
  port: number;
  /** OpenSSH public key line of the node's host key (`ssh-ed25519 AAAA… comment`). */
  hostPublicKey: string;
}

export interface PeerRun {
  ok: number;
  failed: number;
  wallS: number;
  cpuS: number;
  /** The tail of what the tool printed when something failed. */
  problem?: string;
}

export const ANSIBLE = '/usr/bin/ansible';
export const PARALLEL_SSH = '/usr/bin/parallel-ssh';

export function missingPeers(): string[] {
  return [ANSIBLE, PARALLEL_SSH].filter((b) => !existsSync(b));
}

/** Files both peers read: known_hosts for every node, and per-N host lists / inventories. */
export class PeerSetup {
  readonly dir = mkdtempSync(join(tmpdir(), 'pvefleet-peers-'));
  readonly knownHosts = join(this.dir, 'known_hosts');
  /** Ansible's ControlPersist sockets: a private directory, so its masters can be found and ended. */
  readonly controlDir = join(this.dir, 'cp');

  constructor(
    private readonly nodes: PeerNode[],
    private readonly user: string,
    private readonly keyFile: string,
  ) {
    writeFileSync(
      this.knownHosts,
      nodes.map((n) => `[${n.host}]:${n.port} ${n.hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`).join(''),
    );
    mkdirSync(this.controlDir);
    mkdirSync(join(this.dir, 'ansible-home'));
    mkdirSync(join(this.dir, 'ansible-tmp'));
    // An empty config: Ansible's shipped defaults, not whatever /etc/ansible or ~ hold.
    writeFileSync(join(this.dir, 'ansible.cfg'), '[defaults]\n');
  }

  /** OpenSSH options both peers pass: our key only, our known_hosts only, checking on, never a prompt. */
  private get sshOptions(): string[] {
    return ['-o', `UserKnownHostsFile=${this.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes'];
  }

  /** `parallel-ssh -p F` over the first `n` nodes. */
  async parallelSsh(n: number, parallel: number, command: string): Promise<PeerRun> {
    const hosts = join(this.dir, `hosts-${n}`);
    writeFileSync(
      hosts,
      this.nodes
        .slice(0, n)
        .map((x) => `${this.user}@${x.host}:${x.port}\n`)
        .join(''),
    );
    const extra = ['-i', this.keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', ...this.sshOptions];
    const r = await timed(PARALLEL_SSH, ['-h', hosts, '-p', String(parallel), '-x', extra.join(' '), '-i', command], process.env);
    const ok = (r.stdout.match(/\[SUCCESS\]/g) ?? []).length;
    return { ok, failed: n - ok, wallS: r.wallS, cpuS: r.cpuS, ...(ok < n ? { problem: tail(r.stdout + r.stderr) } : {}) };
  }

  /**
   * `ansible all -m raw -a COMMAND -f F` over the first `n` nodes, at Ansible's default SSH settings
   * (ControlMaster=auto, ControlPersist=60s). Its masters stay up (a second call runs warm) until
   * `endMasters`; their CPU during the call is counted.
   */
  async ansibleRaw(n: number, parallel: number, command: string): Promise<PeerRun> {
    const inventory = join(this.dir, `inventory-${n}.ini`);
    writeFileSync(
      inventory,
      `[all]\n${this.nodes
        .slice(0, n)
        .map((x) => `${x.name} ansible_host=${x.host} ansible_port=${x.port}\n`)
        .join('')}[all:vars]\nansible_user=${this.user}\nansible_ssh_private_key_file=${this.keyFile}\n`,
    );
    const env = {
      ...process.env,
      ANSIBLE_CONFIG: join(this.dir, 'ansible.cfg'),
      ANSIBLE_HOME: join(this.dir, 'ansible-home'),
      ANSIBLE_LOCAL_TEMP: join(this.dir, 'ansible-tmp'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: this.controlDir,
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      // ANSIBLE_SSH_ARGS stays Ansible's default; only where the host keys are is added.
      ANSIBLE_SSH_COMMON_ARGS: this.sshOptions.join(' '),
      ANSIBLE_NOCOLOR: '1',
    };
    const mastersBefore = this.mastersCpu();
    const r = await timed(ANSIBLE, ['all', '-i', inventory, '-m', 'raw', '-a', command, '-f', String(parallel)], env);
    const ok = (r.stdout.match(/ \| CHANGED \| rc=0 >>/g) ?? []).length;
    const cpuS = r.cpuS + (this.mastersCpu() - mastersBefore);
    return { ok, failed: n - ok, wallS: r.wallS, cpuS, ...(ok < n ? { problem: tail(r.stdout + r.stderr) } : {}) };
  }

  /** CPU so far of the live ControlPersist masters. */
  private mastersCpu(): number {
    return processesMatching(this.controlDir).reduce((s, p) => s + p.cpu, 0);
  }

  /** Ends Ansible's ControlPersist masters (by pid, only ours: their command line names our control dir). */
  async endMasters(): Promise<number> {
    const masters = processesMatching(this.controlDir);
    for (const m of masters) {
      try {
        process.kill(m.pid, 'SIGTERM');
      } catch {
        /* gone already */
      }
    }
    const deadline = Date.now() + 10_000;
    while (processesMatching(this.controlDir).length && Date.now() < deadline) await sleep(50);
    return masters.length;
  }

  async cleanup(): Promise<void> {
    await this.endMasters();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-6).join('\n');
}

/** Runs a program to its end; wall time from spawn to exit, CPU of its whole waited-for tree. */
function timed(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string; wallS: number; cpuS: number }> {
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuSeconds();
    const t0 = performance.now();
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', () => {
      const wallS = (performance.now() - t0) / 1000;
      resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), wallS, cpuS: childrenCpuSeconds() - cpu0 });
    });
  });
}
