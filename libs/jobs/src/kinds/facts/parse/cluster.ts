import type { ClusterFacts } from '../../../node-facts';

/**
 * `pvecm status` (pvecm's cluster block, then `corosync-quorumtool -siH`). Null when empty:
 * a standalone node prints only an error to stderr, a host without PVE nothing.
 */
export function parseCluster(text: string): ClusterFacts | null {
  const fields = new Map<string, string>();
  const members: string[] = [];
  let inMembership = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^Nodeid\s+Votes\b.*\bName$/.test(line)) {
      inMembership = true;
      continue;
    }
    if (inMembership) {
      const member = readMember(line);
      if (member) members.push(member);
      continue;
    }
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$/.exec(line);
    if (m && !fields.has(m[1])) fields.set(m[1], m[2]);
  }
  if (!fields.has('Name') && !fields.has('Quorate')) return null;
  return {
    name: fields.get('Name') ?? '',
    quorate: fields.get('Quorate') === 'Yes',
    expectedVotes: toInt(fields.get('Expected votes')),
    totalVotes: toInt(fields.get('Total votes')),
    members,
  };
}

/**
 * A Membership row: `0x00000001          1 192.168.1.47 (local)`, with a Qdevice column
 * (`A,V,NMW`) between votes and name when a QDevice is configured. The name is the last field.
 * The QDevice's own row (node id 0, name `Qdevice`) is not a cluster member and is skipped.
 */
function readMember(line: string): string | null {
  const fieldsOf = line.replace(/\s+\(local\)$/, '').split(/\s+/);
  if (fieldsOf.length < 3 || !/^(0x[0-9a-f]+|\d+)$/i.test(fieldsOf[0])) return null;
  if (Number(fieldsOf[0]) === 0) return null;
  return fieldsOf[fieldsOf.length - 1];
}

function toInt(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}
