/**
 * Everything `facts` reads, as one read-only script: a marker line, then one command's output, per
 * section. One exec instead of two dozen matters on real nodes, where every exec starts a login shell.
 * Commands a plain Debian host lacks print nothing (stderr is discarded), which parses as "absent".
 */
export const FACTS_MARKER = '@@pvefleet-facts:';

export const FACT_SECTIONS = {
  hostname: 'hostname',
  kernel: 'uname -r',
  osRelease: 'cat /etc/os-release',
  uptime: 'cat /proc/uptime',
  bootId: 'cat /proc/sys/kernel/random/boot_id',
  pveversion: 'pveversion',
  kernelList: 'proxmox-boot-tool kernel list',
  upgradable: 'LC_ALL=C apt list --upgradable',
  aptSources: `for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && printf '==> %s <==\\n' "$f" && cat "$f"; done`,
  timeDaemons: 'systemctl is-active chrony systemd-timesyncd',
  chronyTracking: 'chronyc tracking',
  chronySources: 'chronyc sources',
  ntpSynchronized: 'timedatectl show -p NTPSynchronized --value',
  chronyConf: 'cat /etc/chrony/chrony.conf',
  chronyDropins: `for f in /etc/chrony/sources.d/*.sources; do [ -f "$f" ] && printf '==> %s <==\\n' "$f" && cat "$f"; done`,
  timesyncdConf: 'cat /etc/systemd/timesyncd.conf',
  certInfo: 'pvenode cert info --output-format json',
  nodeConfig: 'cat /etc/pve/local/config',
  acmeAccounts: 'pvenode acme account list',
  disks: 'pvesh get /nodes/localhost/disks/list --output-format json',
  poolList: 'zpool list -H -p -o name,size,health',
  poolStatus: 'zpool status -P',
  storages: 'pvesm status',
  pvecm: 'pvecm status',
  ha: 'ha-manager status',
} as const;

export type FactSection = keyof typeof FACT_SECTIONS;
export type FactSections = Record<FactSection, string>;

export function factsScript(): string {
  return Object.entries(FACT_SECTIONS)
    .map(([name, cmd]) => `echo '${FACTS_MARKER}${name}'\n${cmd} 2>/dev/null`)
    .concat('true')
    .join('\n');
}

/** Splits the script's stdout back into sections (a missing section is the empty string). */
export function splitSections(stdout: string): FactSections {
  const out = Object.fromEntries(Object.keys(FACT_SECTIONS).map((k) => [k, ''])) as FactSections;
  let current: FactSection | undefined;
  const lines: string[] = [];
  const flush = () => {
    if (current) out[current] = lines.join('\n');
    lines.length = 0;
  };
  for (const line of stdout.split('\n')) {
    // A file printed without a final newline leaves the next marker at the end of its last line.
    const at = line.indexOf(FACTS_MARKER);
    if (at === -1) {
      if (current) lines.push(line);
      continue;
    }
    if (at > 0 && current) lines.push(line.slice(0, at));
    flush();
    const name = line.slice(at + FACTS_MARKER.length) as FactSection;
    current = name in FACT_SECTIONS ? name : undefined;
  }
  flush();
  return out;
}
