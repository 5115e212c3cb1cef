import { describe, expect, it } from 'vitest';
import { dedupeKeys, utcDay } from './dedupe-keys';

describe('alert dedupe keys', () => {
  it('certificate: one per node per UTC day of the Clock, whatever the hour', () => {
    const morning = dedupeKeys.certificateExpiring('pve1', new Date('2027-03-28T00:00:01Z'));
    expect(morning).toBe('certificate-expiring:pve1:2027-03-28');
    expect(dedupeKeys.certificateExpiring('pve1', new Date('2027-03-28T23:59:59Z'))).toBe(morning);
    expect(dedupeKeys.certificateExpiring('pve1', new Date('2027-03-29T00:00:00Z'))).toBe('certificate-expiring:pve1:2027-03-29');
    expect(dedupeKeys.certificateExpiring('pve2', new Date('2027-03-28T12:00:00Z'))).not.toBe(morning);
  });

  it('a failed task: one per task and rule', () => {
    const upid = 'UPID:pve1:00001234:00005678:6751A000:acmerenew::root@pam:';
    expect(dedupeKeys.taskFailed('renewal-failed', upid)).toBe(`renewal-failed:${upid}`);
    expect(dedupeKeys.taskFailed('scheduled-task-failed', upid)).not.toBe(dedupeKeys.taskFailed('renewal-failed', upid));
  });

  it('a halted rollout: one per rollout', () => {
    expect(dedupeKeys.rolloutHalted(42)).toBe('rollout-halted:42');
  });

  it('an unreachable node: one per outage, named by the last successful facts read before it', () => {
    const created = new Date('2027-01-01T00:00:00Z');
    const lastOk = new Date('2027-03-01T10:00:00Z');
    expect(dedupeKeys.nodeUnreachable('pve1', lastOk, created)).toBe('node-unreachable:pve1:2027-03-01T10:00:00.000Z');
    expect(dedupeKeys.nodeUnreachable('pve1', new Date('2027-03-02T10:00:00Z'), created)).not.toBe(
      dedupeKeys.nodeUnreachable('pve1', lastOk, created),
    );
    expect(dedupeKeys.nodeUnreachable('pve1', null, created)).toBe('node-unreachable:pve1:never-since-2027-01-01T00:00:00.000Z');
  });

  it('utcDay is the UTC date, not the local one', () => {
    expect(utcDay(new Date('2027-03-28T23:30:00-02:00'))).toBe('2027-03-29');
  });
});
