/**
 * Proxmox task ids (pve-common `PVE::UPID`): `UPID:$node:%08X(pid):%08X(pstart):%08X(starttime):$type:$id:$user:`.
 * pvefleet has no remote process per task, so `pid` carries the task's serial number and `pstart`
 * the start of the API process that created it; together with `starttime` they make the id unique
 * and self-describing, and Proxmox's own parser accepts it.
 */
export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

/** Proxmox's decoding regex, verbatim. */
export const UPID_PATTERN =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

const FIELD = /^[^:\s/]*$/;
const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');

export function encodeUpid(u: Upid): string {
  if (!FIELD.test(u.type) || !u.type) throw new Error(`invalid UPID type '${u.type}'`);
  if (!FIELD.test(u.id)) throw new Error(`invalid UPID id '${u.id}'`);
  if (!FIELD.test(u.user) || !u.user) throw new Error(`invalid UPID user '${u.user}'`);
  const pstart = u.pstart > 0xffffffff ? u.pstart.toString(16).toUpperCase().padStart(9, '0') : hex8(u.pstart);
  const upid = `UPID:${u.node}:${hex8(u.pid)}:${pstart}:${hex8(u.starttime)}:${u.type}:${u.id}:${u.user}:`;
  if (!UPID_PATTERN.test(upid)) throw new Error(`cannot encode UPID for node '${u.node}'`);
  return upid;
}

export function parseUpid(upid: string): Upid | undefined {
  const m = UPID_PATTERN.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1],
    pid: Number.parseInt(m[3], 16),
    pstart: Number.parseInt(m[4], 16),
    starttime: Number.parseInt(m[5], 16),
    type: m[6],
    id: m[7],
    user: m[8],
  };
}
