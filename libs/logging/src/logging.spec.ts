import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { logDestination } from './log-destination';
import { readLogSettings, type LogSettings } from './log-settings';
import { pinoOptions } from './pino-options';
import { prettyLine } from './pretty-line';
import { rolloutLogFields, taskLogFields } from './task-log-context';

/** A logger writing into an array instead of standard output. */
function capture(settings: LogSettings = { level: 'info', pretty: false }) {
  const lines: string[] = [];
  const logger = pino(pinoOptions(settings, 'test'), logDestination(settings, { write: (s: string) => void lines.push(s) }));
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('log settings', () => {
  it('JSON lines unless asked (or on a terminal), info unless asked', () => {
    expect(readLogSettings({}, false)).toEqual({ level: 'info', pretty: false });
    expect(readLogSettings({}, true)).toEqual({ level: 'info', pretty: true });
    expect(readLogSettings({ PVEFLEET_LOG_FORMAT: 'json' }, true).pretty).toBe(false);
    expect(readLogSettings({ PVEFLEET_LOG_FORMAT: 'pretty' }, false).pretty).toBe(true);
    expect(readLogSettings({ PVEFLEET_LOG_FORMAT: 'text' }, false).pretty).toBe(true);
    expect(readLogSettings({ PVEFLEET_LOG_LEVEL: 'debug' }, false).level).toBe('debug');
    expect(() => readLogSettings({ PVEFLEET_LOG_LEVEL: 'loud' }, false)).toThrow(/PVEFLEET_LOG_LEVEL/);
  });
});

describe('records', () => {
  it('one JSON object per line: level name, ISO time, message, process', () => {
    const { logger, records } = capture();
    logger.info({ context: 'Main' }, 'listening');
    expect(records()[0]).toMatchObject({ level: 'info', message: 'listening', context: 'Main', process: 'test' });
    expect(new Date(records()[0].time as string).toISOString()).toBe(records()[0].time);
  });

  it("a task's lines carry its upid, node and rollout (none when it has no rollout); a rollout tick's its id", () => {
    const { logger, records } = capture();
    logger.warn(taskLogFields({ upid: 'UPID:pve1:1', node: 'pve1', rolloutId: 'r-1' }), 'in a rollout step');
    logger.info(taskLogFields({ upid: 'UPID:pve2:2', node: 'pve2', rolloutId: null }), 'no rollout');
    logger.error(rolloutLogFields(7), 'tick failed');
    logger.info('outside');
    const [step, noRollout, tick, outside] = records();
    expect(step).toMatchObject({ upid: 'UPID:pve1:1', node: 'pve1', rolloutId: 'r-1', message: 'in a rollout step' });
    expect(noRollout).toMatchObject({ upid: 'UPID:pve2:2', node: 'pve2' });
    expect(noRollout).not.toHaveProperty('rolloutId');
    expect(tick).toMatchObject({ rolloutId: 7 });
    expect(outside).not.toHaveProperty('upid');
  });

  it('redacts bearer tokens and credentials', () => {
    const { logger, lines } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer s3cret-token' } } }, 'request');
    logger.info({ node: { credential: { type: 'password', password: 'hunter2' } }, privateKey: 'KEY' }, 'node');
    const all = lines.join('');
    expect(all).not.toMatch(/s3cret-token|hunter2|KEY"/);
    expect(all).toContain('[redacted]');
  });

  it('pretty: one readable line per record, fields and stack included', () => {
    const { logger, lines } = capture({ level: 'info', pretty: true });
    logger.error({ context: 'Runner', err: new Error('boom'), ...taskLogFields({ upid: 'UPID:pve1:1', node: 'pve1' }) }, 'failed');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR \[Runner\] failed upid=UPID:pve1:1 node=pve1\nError: boom\n\s+at /);
    expect(prettyLine('not json')).toBe('not json\n');
  });
});
