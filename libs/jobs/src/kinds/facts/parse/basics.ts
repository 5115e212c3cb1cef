/** Parses `/etc/os-release` (KEY=value, values optionally quoted). */
export function parseOsRelease(text: string): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
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
