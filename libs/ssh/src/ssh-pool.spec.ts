import { describe, expect, it } from 'vitest';
import { SshPool } from './ssh-pool';
import type { SshSession } from './ssh-session';

const fakeSession = (fingerprint = 'SHA256:a') => {
  const s = {
    usable: true,
    closed: false,
    hostKey: { fingerprint },
    close() {
      s.usable = false;
      s.closed = true;
    },
  };
  return s as unknown as SshSession & { closed: boolean; usable: boolean };
};

describe('SshPool', () => {
  it('shares a connection between concurrent tasks up to maxShared, then asks for another', () => {
    const pool = new SshPool({ idleMs: 60_000, maxIdle: 10, maxShared: 2 });
    const s = fakeSession();
    pool.add('k', s);
    expect(pool.take('k')).toBe(s);
    expect(pool.take('k')).toBeUndefined();
    pool.give('k', s);
    expect(pool.take('k')).toBe(s);
  });

  it('keeps an unused connection for the next task, then closes it after idleMs', async () => {
    const pool = new SshPool({ idleMs: 20, maxIdle: 10 });
    const s = fakeSession();
    pool.add('k', s);
    pool.give('k', s);
    expect(pool.idle).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(s.closed).toBe(true);
    expect(pool.size).toBe(0);
  });

  it('never hands out a dead connection or one with another host key', () => {
    const pool = new SshPool({ idleMs: 60_000, maxIdle: 10 });
    const dead = fakeSession();
    pool.add('k', dead);
    pool.give('k', dead);
    dead.usable = false;
    expect(pool.take('k')).toBeUndefined();
    const other = fakeSession('SHA256:other');
    pool.add('k2', other);
    pool.give('k2', other);
    expect(pool.take('k2', 'SHA256:pinned')).toBeUndefined();
    expect(other.closed).toBe(true);
  });

  it('evicts the oldest unused connection past maxIdle', () => {
    const pool = new SshPool({ idleMs: 60_000, maxIdle: 1 });
    const [a, b] = [fakeSession(), fakeSession()];
    pool.add('a', a);
    pool.add('b', b);
    pool.give('a', a);
    pool.give('b', b);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
  });
});
