/** Where the seed puts the ARC limit; modprobe reads it when the zfs module loads (at boot, from the initramfs on a ZFS root). */
export const ZFS_CONF = '/etc/modprobe.d/zfs.conf';
export const ARC_MAX_PARAM = '/sys/module/zfs/parameters/zfs_arc_max';

const ZFS_OPTIONS = /^(\s*options\s+zfs\s+)(.*)$/;
const ARC_WORD = /^zfs_arc_max=\S*$/;

/**
 * zfs.conf with `zfs_arc_max=N`: every `options zfs` word for it gets the new value (other options and
 * lines stay as they are); a file without one gets `options zfs zfs_arc_max=N` appended.
 */
export function withArcMax(conf: string | null, value: number): string {
  const text = conf ?? '';
  const lines = text.split('\n');
  let found = false;
  for (const [i, line] of lines.entries()) {
    const m = ZFS_OPTIONS.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const words = m[2].split(/(\s+)/);
    if (!words.some((w) => ARC_WORD.test(w))) continue;
    found = true;
    lines[i] = m[1] + words.map((w) => (ARC_WORD.test(w) ? `zfs_arc_max=${value}` : w)).join('');
  }
  if (found) return lines.join('\n');
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${body}options zfs zfs_arc_max=${value}\n`;
}
