import { describe, expect, it } from 'vitest';
import { FACTS_MARKER, splitSections } from '../facts-script';
import { fileFromSection, restoreFileEnd } from './file-content';

/** What splitSections makes of `cat FILE` between two markers. */
const section = (file: string) => splitSections(`${FACTS_MARKER}chronyConf\n${file}${FACTS_MARKER}chronyDropins\nx\n`).chronyConf;

describe('fileFromSection', () => {
  it('round-trips files through the section splitter', () => {
    for (const file of ['server a iburst\n', 'a\n\n', 'no final newline']) expect(fileFromSection(section(file))).toBe(file);
  });

  it('is null for an empty section: a missing, empty or single-newline file all print that', () => {
    expect(fileFromSection('')).toBeNull();
    expect(section('\n')).toBe('');
  });

  it('cuts at a glued marker', () => {
    expect(restoreFileEnd(`last line${FACTS_MARKER}timesyncdConf\n[Time]`)).toBe('last line');
  });
});
