import type { NodeFacts } from '../../node-facts';

/** Parses `/etc/os-release` (KEY=value, values optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2').replace(/\\(["$`\\])/g, '$1');
  }
  return out;
}

/** `pve-manager/8.4.11/14a32011146091ed (running kernel: …)` → `8.4.11`. */
export function parsePveManagerVersion(pveversion: string): string | null {
  return /pve-manager\/([0-9][^/\s]*)\//.exec(pveversion)?.[1] ?? null;
}

export function parseFacts(raw: { hostname: string; kernel: string; osRelease: string; uptime: string; pveversion: string }): NodeFacts {
  const os = parseOsRelease(raw.osRelease);
  const pveversion = raw.pveversion.trim() || null;
  return {
    hostname: raw.hostname.trim(),
    kernel: raw.kernel.trim(),
    pveversion,
    pveManagerVersion: pveversion ? parsePveManagerVersion(pveversion) : null,
    os: {
      id: os.ID ?? '',
      versionId: os.VERSION_ID ?? '',
      codename: os.VERSION_CODENAME ?? '',
      prettyName: os.PRETTY_NAME ?? '',
    },
    uptimeSeconds: Math.floor(Number.parseFloat(raw.uptime.trim().split(/\s+/)[0] ?? '0') || 0),
  };
}
