/**
 * Everything `facts` reads, as one read-only script: a marker line, then one command's output, per
 * section. One exec instead of two dozen matters on real nodes, where every exec starts a login shell.
 * Commands a plain Debian host lacks print nothing (stderr is discarded), which parses as "absent".
 */
export const FACTS_MARKER = '@@pvefleet-facts:';

/** Ends a section whose empty output means something ("nothing held"), so an absent command reads as unknown. */
export const SECTION_END = '@@pvefleet-end';

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
  // systemd reads these after timesyncd.conf, in file-name order (the ntp kind writes pvefleet.conf here).
  timesyncdDropins: `for f in /etc/systemd/timesyncd.conf.d/*.conf; do [ -f "$f" ] && printf '==> %s <==\\n' "$f" && cat "$f"; done`,
  certInfo: 'pvenode cert info --output-format json',
  nodeConfig: 'pvenode config get',
  acmeAccounts: 'pvenode acme account list',
  // The DNS plugins' credentials (`data`) are blanked on the node: they never leave it.
  acmePlugins: `pvenode acme plugin list --output-format json 2>/dev/null | sed -e 's/"data":"[^"]*"/"data":""/g'`,
  disks: 'pvesh get /nodes/localhost/disks/list --output-format json',
  poolList: 'zpool list -H -p -o name,size,health',
  poolStatus: 'zpool status -P',
  storages: 'pvesm status',
  pvecm: 'pvecm status',
  ha: 'ha-manager status',
  // Every disk PVE would list (Diskmanage.pm's names), as `==> DEV <==`, smartctl's output, `<== exit N`.
  smart: `for d in $(lsblk -dnp -o NAME | grep -E '^/dev/((h|s|x?v)d[a-z]+|nvme[0-9]+n[0-9]+)$'); do printf '==> %s <==\\n' "$d"; smartctl -H -A "$d"; printf '<== exit %s\\n' "$?"; done`,
  lvmPvs: 'pvs --reportformat json --units b --nosuffix -o pv_name,vg_name,pv_size',
  lvmLvs: 'lvs --reportformat json --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size',
  // Host settings (desired state): vm.swappiness now and in every sysctl.d file boot reads, each file as
  // `==> PATH <==` with its vm.swappiness lines (the parser orders them as systemd-sysctl does).
  swappiness: 'sysctl -n vm.swappiness',
  sysctlSwappiness: `for f in /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf; do [ -f "$f" ] && printf '==> %s <==\\n' "$f" && grep -E '^[[:space:]]*-?vm[./]swappiness[[:space:]]*=' "$f"; done`,
  zfsArcMax: 'cat /sys/module/zfs/parameters/zfs_arc_max',
  zfsModprobeConf: 'cat /etc/modprobe.d/zfs.conf',
  // The end line tells "nothing held" from "apt-mark did not answer".
  heldPackages: `apt-mark showhold && echo '${SECTION_END}'`,
  // Only where /etc/pve is: an absent status.cfg gives the end line alone.
  statusCfg: `if [ -d /etc/pve/nodes ]; then { [ ! -e /etc/pve/status.cfg ] || cat /etc/pve/status.cfg; } && printf '\\n${SECTION_END}\\n'; fi`,
  // The host network: the interfaces files byte-exact (a plan restores them from these), and the links now.
  networkFiles: `for f in /etc/network/interfaces /etc/network/interfaces.d/*; do [ -f "$f" ] && printf '==> %s <==\\n' "$f" && cat "$f"; done`,
  networkLinks: 'ip -j addr',
} as const;

export type FactSection = keyof typeof FACT_SECTIONS;
export type FactSections = Record<FactSection, string>;

/** What the task log shows for the script: its sections, without the markers that frame them. */
export const FACTS_SCRIPT_LOG = `read node facts (read-only script): ${Object.keys(FACT_SECTIONS).join(', ')}`;

export function factsScript(): string {
  return Object.entries(FACT_SECTIONS)
    .map(([name, cmd]) => `echo '${FACTS_MARKER}${name}'\n${cmd} 2>/dev/null`)
    .concat('true')
    .join('\n');
}

/**
 * Splits the script's stdout back into sections, byte-exact: a section is everything between the
 * end of its marker line and the next marker, so a file that ended with a newline keeps it and one
 * that did not (the next marker then follows on the same line) does not. A missing section is ''.
 */
export function splitSections(stdout: string): FactSections {
  const out = Object.fromEntries(Object.keys(FACT_SECTIONS).map((k) => [k, ''])) as FactSections;
  let at = stdout.indexOf(FACTS_MARKER);
  while (at !== -1) {
    const eol = stdout.indexOf('\n', at);
    const name = stdout.slice(at + FACTS_MARKER.length, eol === -1 ? undefined : eol) as FactSection;
    if (eol === -1) break;
    const next = stdout.indexOf(FACTS_MARKER, eol + 1);
    if (name in FACT_SECTIONS) out[name] = stdout.slice(eol + 1, next === -1 ? undefined : next);
    at = next;
  }
  return out;
}
