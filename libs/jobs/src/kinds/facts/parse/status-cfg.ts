import type { MetricServerSection } from '../../../node-facts';
import { SECTION_END } from '../facts-script';

const HEADER = /^(\S+):\s*(\S*)\s*$/;
const PROPERTY = /^\s+(\S+)\s*(.*?)\s*$/;

/**
 * /etc/pve/status.cfg as PVE's SectionConfig reads it: `type: name` at the start of a line, then
 * indented `key value` lines; `#` lines are comments, blank lines separate sections.
 */
export function parseStatusCfg(content: string): MetricServerSection[] {
  const sections: MetricServerSection[] = [];
  let current: MetricServerSection | undefined;
  for (const line of content.split('\n')) {
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      current = { type: header[1], name: header[2], options: {} };
      sections.push(current);
      continue;
    }
    const prop = PROPERTY.exec(line);
    if (prop && current) current.options[prop[1]] = prop[2];
  }
  return sections;
}

/**
 * The facts script's status.cfg section: the file (if any), a newline and the end line; nothing at
 * all where there is no /etc/pve (null). An absent file reads as no servers.
 */
export function parseStatusCfgSection(text: string): MetricServerSection[] | null {
  const end = `\n${SECTION_END}\n`;
  if (!text.endsWith(end)) return null;
  return parseStatusCfg(text.slice(0, -end.length));
}
