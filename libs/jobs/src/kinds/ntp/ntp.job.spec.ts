import { describe, expect, it } from 'vitest';
import type { CapturedOutput, PlanStep } from '../../job-kind';
import { parseOrThrow, SpecError } from '../../spec-error';
import { CHRONY_DROPIN } from './chrony-plan';
import { ntpJob } from './ntp.job';
import { nodeFacts, STOCK_CHRONY_CONF } from './ntp-facts.fixture';
import { TIMESYNCD_DROPIN } from './timesyncd-plan';
import { HEREDOC_END } from './write-file';

const spec = (params: object) => parseOrThrow(ntpJob.spec, params, 'params');
const SERVERS = ['ntp1.example.com', '10.0.0.2'];
const DROPIN = '# Managed by pvefleet (ntp task): changes here are overwritten.\nserver ntp1.example.com iburst\nserver 10.0.0.2 iburst\n';
const commands = (steps: PlanStep[]) => steps.map((s) => s.command.split('\n')[0]);
const fieldsOf = (params: object) => {
  const r = ntpJob.spec.safeParse(params);
  return r.success ? [] : [...new Set(SpecError.fromZod(r.error, 'params').errors.map((e) => e.field))];
};

describe('ntp spec', () => {
  it('takes 1-10 servers (IP or DNS name) with defaults', () => {
    expect(spec({ servers: SERVERS })).toEqual({ servers: SERVERS, disablePool: false, iburst: true, syncTimeoutSeconds: 60 });
    expect(spec({ servers: ['2001:db8::1'] }).servers).toEqual(['2001:db8::1']);
    expect(fieldsOf({ servers: [] })).toEqual(['params.servers']);
    expect(fieldsOf({ servers: Array.from({ length: 11 }, (_, i) => `ntp${i}.example.com`) })).toEqual(['params.servers']);
    expect(fieldsOf({})).toEqual(['params.servers']);
  });

  it('rejects injection attempts, duplicates and bad options naming the field', () => {
    for (const bad of ['a;reboot', '$(reboot)', '`id`', 'a\nb', "a'b", '../x', 'a b', '-oProxy', 'x'.repeat(300), '']) {
      expect(fieldsOf({ servers: ['ntp1.example.com', bad] }), JSON.stringify(bad)).toEqual(['params.servers.1']);
    }
    expect(fieldsOf({ servers: ['ntp1.example.com', 'NTP1.example.com'] })).toEqual(['params.servers.1']);
    expect(fieldsOf({ servers: SERVERS, syncTimeoutSeconds: 0 })).toEqual(['params.syncTimeoutSeconds']);
    expect(fieldsOf({ servers: SERVERS, syncTimeoutSeconds: 1.5 })).toEqual(['params.syncTimeoutSeconds']);
    expect(fieldsOf({ servers: SERVERS, disablePool: 'yes' })).toEqual(['params.disablePool']);
    expect(fieldsOf({ servers: SERVERS, pool: false })).toEqual(['params.pool']);
  });
});

describe.each([8, 9] as const)('ntp plan with chrony (PVE %i)', (major) => {
  it('writes the drop-in and reloads sources, then waits for sync', () => {
    const plan = ntpJob.plan(spec({ servers: SERVERS }), nodeFacts({}, major));
    expect(commands(plan.steps)).toEqual([
      `cat > ${CHRONY_DROPIN} <<'${HEREDOC_END}'`,
      'chronyc reload sources',
      'chronyc tracking && chronyc -N sources',
    ]);
    expect(plan.steps[0].command).toBe(`cat > ${CHRONY_DROPIN} <<'${HEREDOC_END}'\n${DROPIN}${HEREDOC_END}`);
    expect(plan.steps[0].writes).toEqual([{ path: CHRONY_DROPIN, content: DROPIN }]);
    expect(plan.steps[2].retry?.timeoutMs).toBe(60_000);
    expect(plan.notes).toContain(`${CHRONY_DROPIN} will list ntp1.example.com, 10.0.0.2`);
  });

  it('changes nothing when the drop-in already lists the servers, but still verifies', () => {
    const plan = ntpJob.plan(spec({ servers: SERVERS }), nodeFacts({ chronySources: [{ path: CHRONY_DROPIN, content: DROPIN }] }, major));
    expect(commands(plan.steps)).toEqual(['chronyc tracking && chronyc -N sources']);
    expect(plan.notes).toContain('nothing to change: chrony already has these servers; verifying synchronisation only');
  });

  it('comments out the pool and restarts chrony (chrony.conf is read only at start)', () => {
    const plan = ntpJob.plan(spec({ servers: SERVERS, disablePool: true }), nodeFacts({}, major));
    expect(commands(plan.steps)).toEqual([
      `cat > ${CHRONY_DROPIN} <<'${HEREDOC_END}'`,
      `cat > /etc/chrony/chrony.conf <<'${HEREDOC_END}'`,
      'systemctl restart chrony',
      'chronyc tracking && chronyc -N sources',
    ]);
    expect(plan.steps[1].writes?.[0].content).toBe(STOCK_CHRONY_CONF.replace('\npool 2.debian', '\n#pool 2.debian'));
    expect(plan.notes).toContain('commenting out in /etc/chrony/chrony.conf: pool 2.debian.pool.ntp.org iburst');
  });

  it('a pool disabled earlier needs no restart', () => {
    const conf = STOCK_CHRONY_CONF.replace('\npool 2.debian', '\n#pool 2.debian');
    const plan = ntpJob.plan(
      spec({ servers: SERVERS, disablePool: true }),
      nodeFacts({ chronyConf: conf, chronySources: [{ path: CHRONY_DROPIN, content: DROPIN }] }, major),
    );
    expect(commands(plan.steps)).toEqual(['chronyc tracking && chronyc -N sources']);
    expect(plan.notes).toContain('/etc/chrony/chrony.conf has no active pool line');
  });

  it('adds the sourcedir line when chrony.conf does not read sources.d', () => {
    const conf = STOCK_CHRONY_CONF.replace('sourcedir /etc/chrony/sources.d\n', '');
    const plan = ntpJob.plan(spec({ servers: ['10.0.0.1'], iburst: false }), nodeFacts({ chronyConf: conf }, major));
    expect(commands(plan.steps)).toEqual([
      'mkdir -p /etc/chrony/sources.d',
      `cat > ${CHRONY_DROPIN} <<'${HEREDOC_END}'`,
      `cat > /etc/chrony/chrony.conf <<'${HEREDOC_END}'`,
      'systemctl restart chrony',
      'chronyc tracking && chronyc -N sources',
    ]);
    expect(plan.steps[1].writes?.[0].content).toContain('\nserver 10.0.0.1\n');
    expect(plan.steps[2].writes?.[0].content).toBe(
      `${conf}\n# Added by pvefleet: use NTP sources found in /etc/chrony/sources.d.\nsourcedir /etc/chrony/sources.d\n`,
    );
  });
});

describe('ntp wait for sync', () => {
  const synced = `Leap status     : Normal\n^* ntp1.example.com  2 6 377 1 +1us[+1us] +/- 1ms\n^+ 10.0.0.2  2 6 377 1 +1us[+1us] +/- 1ms`;
  const unsynced = 'Leap status     : Not synchronised\n^? ntp1.example.com  0 6 0 - +0ns[+0ns] +/- 0ns';
  const out = (stdout: string, exitCode = 0): CapturedOutput => ({ stdout, exitCode });

  it('holds once synchronised with the servers; its failure text names what it saw', () => {
    const step = ntpJob.plan(spec({ servers: SERVERS, syncTimeoutSeconds: 5 }), nodeFacts({})).steps.at(-1)!;
    const retry = step.retry!;
    expect(retry.timeoutMs).toBe(5_000);
    expect(retry.describe).toBe('chrony synchronised with ntp1.example.com, 10.0.0.2 among its sources');
    expect(retry.until(out(unsynced))).toBe(false);
    expect(retry.describe).toBe(
      "chrony synchronised with ntp1.example.com, 10.0.0.2 among its sources (last seen: Leap status Not synchronised; no selected (^*) source (sources: ^? ntp1.example.com); 10.0.0.2 not among chrony's sources)",
    );
    expect(retry.until(out('', 1))).toBe(false);
    expect(retry.describe).toContain('(last seen: chronyc failed with exit code 1)');
    expect(retry.until(out(synced))).toBe(true);
    expect(retry.describe).toBe('chrony synchronised with ntp1.example.com, 10.0.0.2 among its sources');
  });

  it('records what chrony reports and updates the facts', () => {
    const facts = nodeFacts({});
    const outcome = ntpJob.finish!(spec({ servers: SERVERS }), { sync: out(synced) }, { facts, now: 0 });
    expect(outcome.result).toEqual({
      daemon: 'chrony',
      servers: SERVERS,
      changed: true,
      files: [CHRONY_DROPIN],
      disabledPools: [],
      leapStatus: 'Normal',
      selectedSource: 'ntp1.example.com',
    });
    expect(outcome.facts?.time.chronySources).toEqual([{ path: CHRONY_DROPIN, content: DROPIN }]);
    expect(ntpJob.plan(spec({ servers: SERVERS }), outcome.facts!).steps).toHaveLength(1);
  });
});

describe.each([8, 9] as const)('ntp plan with systemd-timesyncd (PVE %i)', (major) => {
  const facts = nodeFacts({ daemon: 'systemd-timesyncd', chronyConf: null, leapStatus: null, selectedSource: null }, major);
  const WANTED = '# Managed by pvefleet (ntp task): changes here are overwritten.\n[Time]\nNTP=\nNTP=ntp1.example.com 10.0.0.2\n';

  it('reads the drop-in, writes it and restarts only when it differs, then waits', () => {
    const plan = ntpJob.plan(spec({ servers: SERVERS }), facts);
    expect(commands(plan.steps)).toEqual([
      `cat ${TIMESYNCD_DROPIN} 2>/dev/null || true`,
      'mkdir -p /etc/systemd/timesyncd.conf.d',
      `cat > ${TIMESYNCD_DROPIN} <<'${HEREDOC_END}'`,
      'systemctl restart systemd-timesyncd',
      'timedatectl show -p NTPSynchronized && timedatectl show-timesync -p SystemNTPServers -p ServerName',
    ]);
    expect(plan.steps[2].writes).toEqual([{ path: TIMESYNCD_DROPIN, content: WANTED }]);
    const [, mkdir, write, restart] = plan.steps;
    for (const step of [mkdir, write, restart]) {
      expect(step.when?.holds({ timesyncdDropin: { stdout: '', exitCode: 0 } })).toBe(true);
      // The capture loses the final newline; the same content means nothing to do.
      expect(step.when?.holds({ timesyncdDropin: { stdout: WANTED.trimEnd(), exitCode: 0 } })).toBe(false);
    }
  });

  it('disablePool empties FallbackNTP=; verification wants exactly these servers in use', () => {
    const plan = ntpJob.plan(spec({ servers: SERVERS, disablePool: true }), facts);
    expect(plan.steps[2].writes?.[0].content).toBe(`${WANTED}FallbackNTP=\n`);
    const retry = plan.steps.at(-1)!.retry!;
    expect(retry.until({ stdout: 'NTPSynchronized=yes\nSystemNTPServers=0.debian.pool.ntp.org\nServerName=', exitCode: 0 })).toBe(false);
    expect(retry.describe).toContain('(last seen: SystemNTPServers=0.debian.pool.ntp.org)');
    expect(
      retry.until({ stdout: 'NTPSynchronized=yes\nSystemNTPServers=ntp1.example.com 10.0.0.2\nServerName=ntp1.example.com', exitCode: 0 }),
    ).toBe(true);
  });

  it('records whether anything changed', () => {
    const sync = { stdout: 'NTPSynchronized=yes\nSystemNTPServers=ntp1.example.com 10.0.0.2\nServerName=ntp1.example.com', exitCode: 0 };
    const unchanged = ntpJob.finish!(
      spec({ servers: SERVERS }),
      { timesyncdDropin: { stdout: WANTED, exitCode: 0 }, sync },
      { facts, now: 0 },
    );
    expect(unchanged.result).toEqual({
      daemon: 'systemd-timesyncd',
      servers: SERVERS,
      changed: false,
      files: [],
      serverName: 'ntp1.example.com',
    });
    const changed = ntpJob.finish!(spec({ servers: SERVERS }), { timesyncdDropin: { stdout: '', exitCode: 0 }, sync }, { facts, now: 0 });
    expect(changed.result).toMatchObject({ changed: true, files: [TIMESYNCD_DROPIN] });
  });
});

describe('ntp plan errors', () => {
  it('fails clearly when no time daemon runs', () => {
    expect(() => ntpJob.plan(spec({ servers: SERVERS }), nodeFacts({ daemon: null }))).toThrow(SpecError);
    expect(() => ntpJob.plan(spec({ servers: SERVERS }), nodeFacts({ daemon: null }))).toThrow(/no time daemon runs on the node/);
  });

  it('fails clearly when chrony runs but chrony.conf is unreadable', () => {
    expect(() => ntpJob.plan(spec({ servers: SERVERS }), nodeFacts({ chronyConf: null }))).toThrow(/could not be read/);
  });
});
