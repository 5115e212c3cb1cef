import { describe, expect, it } from 'vitest';
import { certificateExpiringMessage, daysLeft, nodeUnreachableMessage, rolloutHaltedMessage, taskFailedMessage } from './alert-messages';

const now = new Date('2027-03-28T12:00:00Z');
const upid = 'UPID:pve1:00001234:00005678:6751A000:acmerenew::root@pam:';

describe('alert messages: each names the node, the task, what happened and what to do next', () => {
  it('days left round down and go negative once expired', () => {
    const at = (days: number) => Math.floor(now.getTime() / 1000) + days * 86_400;
    expect(daysLeft(at(10), now)).toBe(10);
    expect(daysLeft(at(10) - 1, now)).toBe(9);
    expect(daysLeft(at(-1), now)).toBe(-1);
  });

  it('an expiring certificate', () => {
    const notAfter = Math.floor(now.getTime() / 1000) + 10 * 86_400;
    const m = certificateExpiringMessage({ node: 'pve1', notAfter, lastRenewalUpid: upid }, now);
    expect(m.title).toBe('pve1: certificate expires in 10 days');
    expect(m.text).toContain('The certificate pveproxy serves on pve1 expires in 10 days (2027-04-07T12:00:00.000Z).');
    expect(m.text).toContain(`The last renewal task was ${upid}`);
    expect(m.text).toContain('Next: run acmerenew on pve1');
    const expired = certificateExpiringMessage({ node: 'pve1', notAfter: notAfter - 11 * 86_400, lastRenewalUpid: null }, now);
    expect(expired.title).toBe('pve1: certificate expired');
    expect(expired.text).not.toContain('last renewal task');
  });

  it('a failed renewal and a failed scheduled task', () => {
    const t = { node: 'pve1', upid, type: 'acmerenew', exitstatus: 'ACME certificate renew failed: rateLimited', errorClass: 'permanent' };
    const renewal = taskFailedMessage('renewal-failed', t);
    expect(renewal.title).toBe('pve1: certificate renewal failed');
    expect(renewal.text).toBe(
      `The certificate renewal ${upid} on pve1 ended in error (permanent): ACME certificate renew failed: rateLimited. ` +
        `Next: read the task's log (GET /tasks/${upid}/log), fix what the CA refused (account, domains, challenge, rate limit), then run acmerenew on pve1 again.`,
    );
    const scheduled = taskFailedMessage('scheduled-task-failed', { ...t, type: 'aptupdate', errorClass: null });
    expect(scheduled.title).toBe('pve1: scheduled aptupdate task failed');
    expect(scheduled.text).toContain('ended in error: ACME');
    expect(scheduled.text).toContain("wait for the schedule's next run");
  });

  it('a halted rollout', () => {
    const m = rolloutHaltedMessage({
      id: 7,
      reason: 'cluster lab halted: 2 failed nodes exceed its budget of 1',
      failedNodes: ['pve2', 'pve3'],
      lastFailedUpid: upid,
    });
    expect(m.title).toBe('rollout 7 halted');
    expect(m.text).toContain('Rollout 7 halted: cluster lab halted: 2 failed nodes exceed its budget of 1. Failed nodes: pve2, pve3.');
    expect(m.text).toContain(`Last failed task: ${upid}.`);
    expect(m.text).toContain('GET /rollouts/7/events');
  });

  it('an unreachable node', () => {
    const m = nodeUnreachableMessage(
      { node: 'pve1', error: 'connect ECONNREFUSED 10.0.0.1:22', lastSuccessAt: new Date('2027-03-28T11:15:00Z'), lastFactsUpid: upid },
      now,
      30,
    );
    expect(m.title).toBe('pve1: unreachable for more than 30 minutes');
    expect(m.text).toContain(
      'pvefleet cannot read pve1: connect ECONNREFUSED 10.0.0.1:22; its facts were last read on 2027-03-28T11:15:00.000Z (45 minutes ago).',
    );
    expect(m.text).toContain(`Last failed facts task: ${upid}.`);
    expect(nodeUnreachableMessage({ node: 'pve1', error: 'x', lastSuccessAt: null, lastFactsUpid: null }, now, 30).text).toContain(
      'its facts were never read',
    );
  });
});
