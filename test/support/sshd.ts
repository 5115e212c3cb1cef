import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/services.mjs';

const SSHD = '/usr/sbin/sshd';

/**
 * A real OpenSSH server for one test file: our own sshd on a loopback port with a throwaway host
 * key, logging in as the user running the tests with a throwaway key. No user is created and no
 * system file changed. Its PATH starts with a directory of fake commands (`apt-get`), so mutating
 * tasks run something harmless that records when it ran.
 */
export class TestSshd {
  readonly user = userInfo().username;
  readonly host = '127.0.0.1';
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSshd> {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install Debian's openssh-server (npm test does)`);
    const dir = mkdtempSync(join(tmpdir(), 'pvefleet-sshd-'));
    const sshd = new TestSshd(dir, await freePort());
    mkdirSync(join(dir, 'bin'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pvefleet-test-client', '-f', join(dir, 'client_key')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
    sshd.writeFakeAptGet();
    sshd.writeNodeLockShim();
    sshd.newHostKey();
    await sshd.launch();
    return sshd;
  }

  get privateKey(): string {
    return readFileSync(join(this.dir, 'client_key'), 'utf8');
  }

  /** The host key as `ssh-keygen -lf` prints its fingerprint. */
  get fingerprint(): string {
    return execFileSync('ssh-keygen', ['-lf', join(this.dir, 'host_key.pub')])
      .toString()
      .split(' ')[1];
  }

  /** Seconds the fake `apt-get` takes and its exit code. */
  setApt(opts: { seconds?: number; exitCode?: number; lines?: number }): void {
    writeFileSync(join(this.dir, 'apt.conf'), `${opts.seconds ?? 0} ${opts.exitCode ?? 0} ${opts.lines ?? 3}\n`);
  }

  /** `start`/`end` records of each fake `apt-get` run, with times. */
  aptCalls(): { event: 'start' | 'end'; at: number }[] {
    const file = join(this.dir, 'apt-calls.log');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [at, event] = l.split(' ');
        return { at: Number(at) * 1000, event: event as 'start' | 'end' };
      });
  }

  /** Replaces the host key (as a reinstall or an impostor would) and restarts on the same port. */
  async rotateHostKey(): Promise<void> {
    await this.halt();
    this.newHostKey();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private newHostKey(): void {
    rmSync(join(this.dir, 'host_key'), { force: true });
    rmSync(join(this.dir, 'host_key.pub'), { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pvefleet-test-host', '-f', join(this.dir, 'host_key')]);
  }

  private writeFakeAptGet(): void {
    const script = `#!/bin/sh
# Fake apt-get for pvefleet's tests: prints apt-like lines and records when it ran.
conf=$(cat ${this.dir}/apt.conf 2>/dev/null || echo "0 0 3")
set -- $conf
echo "$(date +%s.%N) start" >> ${this.dir}/apt-calls.log
i=1
while [ $i -le "$3" ]; do
  echo "Hit:$i http://deb.debian.org/debian bookworm InRelease"
  [ "$1" != 0 ] && sleep $(awk "BEGIN{print $1/$3}")
  i=$((i+1))
done
echo "Reading package lists..."
echo "$(date +%s.%N) end" >> ${this.dir}/apt-calls.log
if [ "$2" != 0 ]; then echo "E: Some index files failed to download." >&2; fi
exit "$2"
`;
    writeFileSync(join(this.dir, 'bin', 'apt-get'), script);
    chmodSync(join(this.dir, 'bin', 'apt-get'), 0o755);
  }

  /**
   * Every test sshd stands for a node of its own, but they all share this machine's /run/lock: the
   * real flock, with the node lock moved into this sshd's directory.
   */
  private writeNodeLockShim(): void {
    const script = `#!/bin/sh
for a; do shift; [ "$a" = /run/lock/pvefleet-mutating.lock ] && a=${this.dir}/node.lock; set -- "$@" "$a"; done
exec /usr/bin/flock "$@"
`;
    writeFileSync(join(this.dir, 'bin', 'flock'), script);
    chmodSync(join(this.dir, 'bin', 'flock'), 0o755);
  }

  private async launch(): Promise<void> {
    const d = this.dir;
    const config = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${d}/host_key`,
      `PidFile ${d}/sshd.pid`,
      `AuthorizedKeysFile ${d}/authorized_keys`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'MaxSessions 64',
      'MaxStartups 200:30:400',
      `SetEnv PATH=${d}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      '',
    ].join('\n');
    writeFileSync(join(d, 'sshd_config'), config);
    // sshd insists on its privilege-separation directory, even for a private instance.
    if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
    this.child = spawn(SSHD, ['-D', '-e', '-f', join(d, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await portOpen(this.port))) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async halt(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    // Per-connection sshd processes outlive the listener; a stopped (or reinstalled) node drops them too.
    try {
      execFileSync('pkill', ['-TERM', '-P', String(child.pid)]);
    } catch {
      /* no sessions open */
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
  });
}
