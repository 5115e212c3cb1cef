import type { MetricServerSection } from '../../node-facts';
import type { MetricServer } from './metricserver-spec';

export const STATUS_CFG = '/etc/pve/status.cfg';

/** status.cfg's property names where they differ from the spec's (PVE's own are dashed). */
const PVE_KEY: Record<string, string> = {
  apiPathPrefix: 'api-path-prefix',
  maxBodySize: 'max-body-size',
  verifyCertificate: 'verify-certificate',
};

/** A server as its status.cfg section: properties as PVE writes them (booleans 0/1), unset ones left out. */
export function sectionOf(server: MetricServer): MetricServerSection {
  const options: Record<string, string> = {};
  // A spec parsed from JSON has no undefined values, one built in code may.
  for (const [key, value] of Object.entries(server) as [string, string | number | boolean | undefined][]) {
    if (key === 'type' || key === 'name' || value === undefined) continue;
    options[PVE_KEY[key] ?? key] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
  return { type: server.type, name: server.name, options };
}

/** The file as PVE's SectionConfig writes it: `type: name`, tab-indented properties by name, a blank line after each section. */
export function renderStatusCfg(sections: readonly MetricServerSection[]): string {
  return sections
    .map(
      (s) =>
        `${s.type}: ${s.name}\n${Object.keys(s.options)
          .sort()
          .map((k) => `\t${k} ${s.options[k]}\n`)
          .join('')}\n`,
    )
    .join('');
}

function describeSection(s: MetricServerSection): string {
  return `${s.type} ${s.name}`;
}

/**
 * How the file's servers differ from the wanted ones (order aside), naming servers and values, or
 * undefined when they are the same: missing servers, servers not declared, changed properties.
 */
export function metricServersDiffer(wanted: readonly MetricServerSection[], actual: readonly MetricServerSection[]): string | undefined {
  const problems: string[] = [];
  const missing = wanted.filter((w) => !actual.some((a) => a.name === w.name));
  const extra = actual.filter((a) => !wanted.some((w) => w.name === a.name));
  if (missing.length) problems.push(`missing ${missing.map(describeSection).join(', ')}`);
  if (extra.length) problems.push(`not declared: ${extra.map(describeSection).join(', ')}`);
  for (const w of wanted) {
    const a = actual.find((x) => x.name === w.name);
    if (!a) continue;
    if (a.type !== w.type) {
      problems.push(`${w.name} is ${a.type}, declared ${w.type}`);
      continue;
    }
    const keys = [...new Set([...Object.keys(w.options), ...Object.keys(a.options)])].sort();
    const changed = keys
      .filter((k) => w.options[k] !== a.options[k])
      .map((k) => `${k} ${a.options[k] ?? '(unset)'}, declared ${w.options[k] ?? '(unset)'}`);
    if (changed.length) problems.push(`${w.name}: ${changed.join('; ')}`);
  }
  return problems.length ? problems.join('; ') : undefined;
}
