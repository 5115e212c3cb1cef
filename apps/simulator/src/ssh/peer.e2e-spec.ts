import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, Simulator } from '@pvefleet/simulator';
import { sshRun } from '@pvefleet/simulator/testing';

/** Runs a host tool asynchronously (the simulator shares this event loop, so nothing may block). */
function run(cmd: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 20000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

const TOOLS = ['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/sshpass', '/usr/bin/parallel-ssh'];

describe('fair SSH peer: OpenSSH, sshpass and parallel-ssh get the answers an ssh2 client gets', () => {
  // Undefined until beforeAll has started it (afterAll runs even when beforeAll failed first).
  let sim: Simulator | undefined;
  const started = (): Simulator => {
    if (!sim) throw new Error('the simulator did not start');
    return sim;
  };
  let dir: string;
  let sshOpts: string[];

  beforeAll(async () => {
    const missing = TOOLS.filter((t) => !existsSync(t));
    if (missing.length)
      throw new Error(
        `peer tests need ${missing.join(', ')} (Debian packages openssh-client, sshpass, pssh); the npm test bootstrap installs them`,
      );
    dir = mkdtempSync(join(tmpdir(), 'pvefleet-sim-peer-'));
    const key = join(dir, 'id_ed25519');
    const gen = await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'peer-test', '-f', key]);
    if (gen.code !== 0) throw new Error(`ssh-keygen failed: ${gen.stderr}`);
    sim = await startSimulator({
      seed: 7,
      controlPort: false,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
      auth: { authorizedKeys: [readFileSync(`${key}.pub`, 'utf8')] },
    });
    writeFileSync(
      join(dir, 'known_hosts'),
      sim
        .nodes()
        .map((n) => `[${n.host}]:${n.port} ${n.hostPublicKey}\n`)
        .join(''),
    );
    sshOpts = [
      '-o',
      `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
      '-o',
      'ConnectTimeout=10',
    ];
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const keyArgs = (): string[] => ['-i', join(dir, 'id_ed25519'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', ...sshOpts];

  it('ssh with a key, pinned host key: same output and exit codes as ssh2', async () => {
    const node = started().info('pve1');
    for (const command of ['pveversion', 'uname -r; hostname', 'nosuch-program', 'exit 3', 'LC_ALL=C apt list --upgradable']) {
      const viaOpenSsh = await run('/usr/bin/ssh', [...keyArgs(), '-p', String(node.port), `root@${node.host}`, command]);
      const viaSsh2 = await sshRun(node, command);
      expect(viaOpenSsh.stdout, command).toBe(viaSsh2.stdout);
      expect(viaOpenSsh.stderr, command).toBe(viaSsh2.stderr);
      expect(viaOpenSsh.code, command).toBe(viaSsh2.code);
    }
  });

  it('ssh feeds stdin to the remote command (cat > file)', async () => {
    const node = started().info('pve2');
    const r = await run(
      '/usr/bin/ssh',
      [...keyArgs(), '-p', String(node.port), `root@${node.host}`, "cat > '/root/uploaded.txt'"],
      'hello from stdin\n',
    );
    expect(r.code).toBe(0);
    expect(started().readFile('pve2', '/root/uploaded.txt')).toBe('hello from stdin\n');
  });

  it('sshpass with a password works; a wrong password is refused', async () => {
    const node = started().info('pve3');
    const base = [
      ...sshOpts,
      '-o',
      'PubkeyAuthentication=no',
      '-o',
      'PreferredAuthentications=password',
      '-p',
      String(node.port),
      `root@${node.host}`,
      'pveversion',
    ];
    const ok = await run('/usr/bin/sshpass', ['-p', 'simulator', '/usr/bin/ssh', ...base]);
    expect(ok).toMatchObject({ code: 0, stdout: (await sshRun(node, 'pveversion')).stdout });
    const bad = await run('/usr/bin/sshpass', ['-p', 'wrong', '/usr/bin/ssh', '-o', 'NumberOfPasswordPrompts=1', ...base]);
    expect(bad.code).not.toBe(0);
  });

  it('a rotated host key is rejected by a client that pinned the old one', async () => {
    const node = started().info('pve3');
    started().rotateHostKey('pve3');
    const r = await run('/usr/bin/ssh', [...keyArgs(), '-p', String(node.port), `root@${node.host}`, 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('parallel-ssh fans out to every node', async () => {
    const nodes = started()
      .nodes()
      .filter((n) => n.name !== 'pve3');
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, nodes.map((n) => `root@${n.host}:${n.port}\n`).join(''));
    const r = await run('/usr/bin/parallel-ssh', ['-h', hosts, '-i', '-t', '20', '-x', keyArgs().join(' '), 'pveversion']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const expected = (await sshRun(nodes[0], 'pveversion')).stdout;
    for (const n of nodes)
      expect(r.stdout).toMatch(new RegExp(`\\[SUCCESS\\] root@127\\.0\\.0\\.1:${n.port}\\n${expected.replace(/[.()]/g, '\\$&')}`));
  });
});
