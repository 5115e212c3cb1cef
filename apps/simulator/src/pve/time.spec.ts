import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

const ROW =
  /^\^[*+\-?] \S.{26} {2}[ \d]\d {2}[ \d]\d {3}[0-7 ]{3} {2}.{4} {2}[ +\-\d]{3}\d+[mun]?s\[[ +\-\d]{3}\d*[mun]?s\] \+\/- [ \d]{2,}[mun]?s$/;

describe('time synchronisation', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('shows the pool by default and follows sources.d drop-ins after a reload', async () => {
    sim = await startTestSim();
    const first = (await sim.exec('pve1', 'chronyc sources')).stdout.split('\n');
    expect(first[0]).toMatch(/^MS Name\/IP address {9}Stratum Poll Reach LastRx Last sample/);
    expect(first[1]).toBe('='.repeat(79));
    expect(first.slice(2, -1)).toHaveLength(4);
    for (const row of first.slice(2, -1)) expect(row).toMatch(ROW);
    const script = [
      "cat > '/etc/chrony/sources.d/pvefleet.sources' <<'PVEFLEET_EOF'\nserver ntp1.example.com iburst\nserver 10.0.0.2 iburst\nPVEFLEET_EOF",
      "sed -i 's/^pool /#pool /' /etc/chrony/chrony.conf",
      'chronyc reload sources',
    ].join('\n');
    expect((await sim.exec('pve1', script)).stdout).toBe('200 OK\n');
    // reload re-reads sourcedirs only: the pool stays until a restart.
    expect((await sim.exec('pve1', 'chronyc sources | grep -c "^\\^"')).stdout).toBe('6\n');
    await sim.exec('pve1', 'systemctl restart chrony');
    const rows = (await sim.exec('pve1', 'chronyc sources')).stdout.split('\n').slice(2, -1);
    expect(rows.map((r) => r.slice(0, 30).trim())).toEqual(['^* ntp1.example.com', '^+ 10.0.0.2']);
    expect((await sim.exec('pve1', 'journalctl -u chrony --since -1h')).stdout).toMatch(
      /pve1 chronyd\[812\]: Selected source \S+ \(ntp1\.example\.com\)\n/,
    );
  });

  it('reports an unsynchronised clock everywhere when the fault is set', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'chronyc waitsync 3 0.1')).code).toBe(0);
    sim.setClockSynced('pve1', false);
    expect((await sim.exec('pve1', 'timedatectl show -p NTPSynchronized --value')).stdout).toBe('no\n');
    expect((await sim.exec('pve1', 'chronyc tracking')).stdout).toContain('Leap status     : Not synchronised\n');
    expect((await sim.exec('pve1', 'chronyc sources')).stdout).toContain('^? ');
    const wait = await sim.exec('pve1', 'chronyc waitsync 3 0.1');
    expect(wait.code).toBe(1);
    expect(wait.stdout.trim().split('\n')).toHaveLength(3);
    sim.setClockSynced('pve1', true);
    expect((await sim.exec('pve1', 'timedatectl show -p NTPSynchronized --value')).stdout).toBe('yes\n');
  });

  it('supports systemd-timesyncd with NTP= and a restart', async () => {
    sim = await startTestSim({ timesync: 'timesyncd' });
    expect((await sim.exec('pve1', 'chronyc sources')).code).toBe(127);
    await sim.exec('pve1', "sed -i 's/^#NTP=.*/NTP=ntp1.example.com/' /etc/systemd/timesyncd.conf && systemctl restart systemd-timesyncd");
    expect((await sim.exec('pve1', 'journalctl -u systemd-timesyncd --since "-1h" -o cat')).stdout).toContain('Contacted time server');
    expect((await sim.exec('pve1', 'systemctl is-active systemd-timesyncd')).stdout).toBe('active\n');
    expect((await sim.exec('pve1', 'timedatectl show -p NTPSynchronized --value')).stdout).toBe('yes\n');
  });
  it('chronyc -N names sources as configured (the pool for its servers); long DNS names are cut with >', async () => {
    sim = await startTestSim();
    const pool = (await sim.exec('pve1', 'chronyc -N sources')).stdout.split('\n').slice(2, -1);
    expect(pool.map((r) => r.slice(3, 30).trim())).toEqual(Array(4).fill('2.debian.pool.ntp.org'));
    await sim.exec(
      'pve1',
      "printf 'server a-rather-long-ntp-server-name.example.com iburst\\n' > /etc/chrony/sources.d/x.sources && chronyc reload sources",
    );
    const rows = (await sim.exec('pve1', 'chronyc -N sources')).stdout.split('\n');
    expect(rows).toContainEqual(expect.stringMatching(/^\^[+-] a-rather-long-ntp-server-name\.example\.com {2}/));
    expect((await sim.exec('pve1', 'chronyc sources')).stdout).toContain(' a-rather-long-ntp-server>  ');
  });

  it('timesyncd: drop-ins add to NTP= unless emptied first; show-timesync reports what the daemon loaded', async () => {
    sim = await startTestSim({ timesync: 'timesyncd' });
    const show = 'timedatectl show-timesync -p SystemNTPServers -p FallbackNTPServers -p ServerName';
    expect((await sim.exec('pve1', show)).stdout).toBe(
      'SystemNTPServers=\nFallbackNTPServers=0.debian.pool.ntp.org 1.debian.pool.ntp.org 2.debian.pool.ntp.org 3.debian.pool.ntp.org\nServerName=0.debian.pool.ntp.org\n',
    );
    await sim.exec(
      'pve1',
      "sed -i 's/^#NTP=.*/NTP=old.example.com/' /etc/systemd/timesyncd.conf && mkdir -p /etc/systemd/timesyncd.conf.d && printf '[Time]\\nNTP=ntp1.example.com\\n' > /etc/systemd/timesyncd.conf.d/a.conf",
    );
    // Not restarted yet: the daemon still uses what it read at start.
    expect((await sim.exec('pve1', `${show} --value`)).stdout.split('\n')[0]).toBe('');
    await sim.exec('pve1', 'systemctl restart systemd-timesyncd');
    expect((await sim.exec('pve1', 'timedatectl show-timesync -p SystemNTPServers --value')).stdout).toBe(
      'old.example.com ntp1.example.com\n',
    );
    await sim.exec(
      'pve1',
      "printf '[Time]\\nNTP=\\nNTP=ntp1.example.com 10.0.0.2\\nFallbackNTP=\\n' > /etc/systemd/timesyncd.conf.d/a.conf && systemctl restart systemd-timesyncd",
    );
    expect((await sim.exec('pve1', show)).stdout).toBe(
      'SystemNTPServers=ntp1.example.com 10.0.0.2\nFallbackNTPServers=\nServerName=ntp1.example.com\n',
    );
    expect((await sim.exec('pve1', 'timedatectl show -p NTP -p NTPSynchronized')).stdout).toBe('NTP=yes\nNTPSynchronized=yes\n');
    const chrony = await startTestSim({ clusters: [{ name: 'c', nodes: 1, namePrefix: 'c' }] });
    try {
      expect((await chrony.exec('c1', show)).code).toBe(1);
    } finally {
      await chrony.stop();
    }
  });
});
