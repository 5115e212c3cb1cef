import { describe, expect, it } from 'vitest';
import { makeShell } from '../testing/shell-harness';

describe('shell interpreter', () => {
  it('runs lists, && and || with bash exit codes', async () => {
    const { run } = makeShell();
    expect(await run('true && echo yes || echo no')).toMatchObject({ stdout: 'yes\n', code: 0 });
    expect(await run('false && echo yes || echo no')).toMatchObject({ stdout: 'no\n', code: 0 });
    expect(await run('false; echo $?')).toMatchObject({ stdout: '1\n' });
    expect(await run('exit 3; echo never')).toMatchObject({ stdout: '', code: 3 });
  });

  it('answers unknown commands like bash', async () => {
    const { run } = makeShell();
    expect(await run('frobnicate --now')).toEqual({ stdout: '', stderr: 'bash: frobnicate: command not found\n', code: 127 });
    expect(await run('/opt/x/run')).toMatchObject({ stderr: 'bash: /opt/x/run: No such file or directory\n', code: 127 });
  });

  it('handles quoting and escapes', async () => {
    const { run } = makeShell();
    expect((await run(`echo 'a  b' "c \\"d\\" $HOME" e\\ f`)).stdout).toBe('a  b c "d" /root e f\n');
    expect((await run(`X='it''s'; echo "$X"`)).stdout).toBe('its\n');
    expect((await run(`echo "" | wc -l`)).stdout).toBe('1\n');
  });

  it('expands variables, prefixes and command substitution', async () => {
    const { run } = makeShell();
    expect((await run('A=1; B="$A two"; echo $B')).stdout).toBe('1 two\n');
    expect((await run('LC_ALL=C env | grep LC_ALL')).stdout).toBe('LC_ALL=C\n');
    expect((await run('echo "n=$(echo hi | wc -c)"')).stdout).toBe('n=3\n');
    expect((await run('echo ${UNSET:-fallback}')).stdout).toBe('fallback\n');
  });

  it('writes files with heredocs, tee and base64', async () => {
    const { run, fs } = makeShell();
    await run("cat > '/tmp/a.conf' <<'PVEFLEET_EOF'\nserver $NOT_EXPANDED iburst\nPVEFLEET_EOF\n");
    expect(fs.readFile('/tmp/a.conf')).toBe('server $NOT_EXPANDED iburst\n');
    await run('X=7; cat <<EOF > /tmp/b\nvalue $X\nEOF\n');
    expect(fs.readFile('/tmp/b')).toBe('value 7\n');
    await run('cat <<-EOF > /tmp/c\n\tindented\n\tEOF\n');
    expect(fs.readFile('/tmp/c')).toBe('indented\n');
    await run(`printf '%s' '${Buffer.from('hello\nworld\n').toString('base64')}' | base64 -d > '/tmp/d'`);
    expect(fs.readFile('/tmp/d')).toBe('hello\nworld\n');
    expect(await run('echo one | tee -a /tmp/d >/dev/null && cat /tmp/d')).toMatchObject({ stdout: 'hello\nworld\none\n' });
  });

  it('applies redirections in order', async () => {
    const { run, fs } = makeShell();
    expect(await run('nosuch 2>&1')).toMatchObject({ stdout: 'bash: nosuch: command not found\n', stderr: '' });
    expect(await run('nosuch 2>/dev/null')).toMatchObject({ stdout: '', stderr: '', code: 127 });
    await run('{ echo out; nosuch; } &> /tmp/all');
    expect(fs.readFile('/tmp/all')).toBe('out\nbash: nosuch: command not found\n');
    expect(await run('echo x > /nope/file')).toMatchObject({ stderr: 'bash: /nope/file: No such file or directory\n', code: 1 });
    expect(await run('echo err >&2')).toMatchObject({ stdout: '', stderr: 'err\n' });
  });

  it('supports test, if, for and while', async () => {
    const { run } = makeShell({}, { '/etc/x': 'content\n' });
    expect((await run('if [ -f /etc/x ]; then echo file; else echo none; fi')).stdout).toBe('file\n');
    expect((await run('test -d /etc && test ! -e /etc/nope && echo ok')).stdout).toBe('ok\n');
    expect((await run('for i in a b c; do echo -n $i; done')).stdout).toBe('abc');
    expect((await run('i=0; while [ $i != 3 ]; do i=$(echo $i | sed s/0/1/;); [ $i = 1 ] && i=3; done; echo $i')).stdout).toBe('3\n');
    expect((await run('[ -n "" ] || echo empty')).stdout).toBe('empty\n');
    expect(await run('[ a = b')).toMatchObject({ code: 2 });
  });

  it('runs sh -c and bash -c as child shells', async () => {
    const { run } = makeShell();
    expect(await run(`sh -c 'echo $0 $1; exit 4' me arg`)).toMatchObject({ stdout: 'me arg\n', code: 4 });
    expect(await run(`bash -c "false"; echo $?`)).toMatchObject({ stdout: '1\n' });
    expect(await run('command -v sed && command -v nosuch; echo $?')).toMatchObject({ stdout: '/usr/bin/sed\n1\n' });
  });

  it('honours set -e', async () => {
    const { run } = makeShell();
    expect(await run('set -e; false; echo after')).toMatchObject({ stdout: '', code: 1 });
    expect(await run('set -e; false || true; if false; then :; fi; echo after')).toMatchObject({ stdout: 'after\n', code: 0 });
  });

  it('globs against the virtual filesystem', async () => {
    const { run } = makeShell({}, { '/etc/apt/sources.list.d/a.list': 'A\n', '/etc/apt/sources.list.d/b.sources': 'B\n' });
    expect((await run('ls /etc/apt/sources.list.d/*.list')).stdout).toBe('/etc/apt/sources.list.d/a.list\n');
    expect((await run('cat /etc/apt/sources.list.d/*')).stdout).toBe('A\nB\n');
    expect((await run("echo '*'")).stdout).toBe('*\n');
  });

  it('reports syntax errors with status 2', async () => {
    const { run } = makeShell();
    expect(await run("echo 'unterminated")).toMatchObject({ code: 2 });
    expect(await run('if true; then echo x')).toMatchObject({ code: 2 });
  });

  it('stops sleep and timeout promptly', async () => {
    const { run } = makeShell();
    const t0 = Date.now();
    expect(await run('timeout 0.05 sleep 5')).toMatchObject({ code: 124 });
    expect(Date.now() - t0).toBeLessThan(1000);
    const ac = new AbortController();
    setTimeout(() => {
      ac.abort({ kind: 'signal', signal: 'TERM' });
    }, 20);
    await expect(run('sleep 10', '', ac.signal)).rejects.toThrow(/aborted/);
  });
});
