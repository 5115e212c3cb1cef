/** What pvefleet knows about a node from its last `facts` task. */
export interface NodeFacts {
  hostname: string;
  kernel: string;
  /** `pveversion` output, null on a plain Debian host. */
  pveversion: string | null;
  /** e.g. "8.4.11" from `pve-manager/8.4.11/…`. */
  pveManagerVersion: string | null;
  os: { id: string; versionId: string; codename: string; prettyName: string };
  uptimeSeconds: number;
}
