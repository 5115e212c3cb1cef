import { describe, expect, it } from 'vitest';
import { FACTS_MARKER, splitSections } from '../facts-script';
import { fileFromSection } from './file-content';

/** What splitSections makes of `cat FILE` between two markers. */
const section = (file: string) => splitSections(`${FACTS_MARKER}chronyConf\n${file}${FACTS_MARKER}chronyDropins\nx\n`).chronyConf;

describe('fileFromSection', () => {
  it('round-trips files through the section splitter, byte for byte', () => {
    for (const file of ['server a iburst\n', 'a\n\n', 'no final newline', '\n']) expect(fileFromSection(section(file))).toBe(file);
  });

  it('is null for an empty section: a missing or empty file', () => {
    expect(fileFromSection(section(''))).toBeNull();
  });
});
