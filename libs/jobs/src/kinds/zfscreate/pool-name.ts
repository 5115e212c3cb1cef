/**
 * OpenZFS's own rules for a new pool's name (`zfs_namecheck.c` pool_namecheck, libzfs
 * `zpool_name_valid`), on top of PVE's storage-id format that the spec applies first.
 * Case-sensitive, as ZFS compares them: `Mirror1` is a valid pool name, `mirror1` is not.
 */
export function zfsPoolNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z]/.test(name)) return 'ZFS pool names must begin with a letter';
  if (/[^A-Za-z0-9_.: -]/.test(name)) return 'ZFS pool names may only contain letters, digits, _ . : - and spaces';
  const prefix = /^(mirror|raidz|draid|spare)/.exec(name);
  if (prefix) return `is reserved by ZFS: pool names must not begin with '${prefix[1]}'`;
  if (name === 'log') return "is reserved by ZFS: a pool must not be named 'log'";
  // zpool_name_valid: "c" followed by a digit looks like a Solaris disk name (c0t0d0).
  if (/^c[0-9]/.test(name)) return "is reserved by ZFS: names of 'c' and a digit look like disk names";
  return undefined;
}
