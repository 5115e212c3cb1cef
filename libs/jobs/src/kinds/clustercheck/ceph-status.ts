import { finiteNumber, isRecord, parseJson, scalarText } from '../facts/parse/json';

export interface CephStatus {
  health: string;
  /** Unmuted health checks in Ceph's order (alphabetical by code), e.g. OSD_DOWN "2 osds down". */
  checks: { code: string; severity: string; message: string }[];
  osds: { total: number; up: number; in: number };
  pgs: { total: number; byState: { state: string; count: number }[] };
}

/**
 * `ceph -s --format json` (pve-outputs §4.2): stdout is an empty line, then the JSON. Flat
 * `osdmap` as in Reef/Squid (older releases nested it as `osdmap.osdmap`; both are read).
 * Null when the output is not Ceph's status object.
 */
export function parseCephStatus(text: string): CephStatus | null {
  const body = parseJson(text.trim());
  if (!isRecord(body) || !isRecord(body.health) || typeof body.health.status !== 'string') return null;
  const checks = isRecord(body.health.checks) ? body.health.checks : {};
  const osdmap = isRecord(body.osdmap) ? (isRecord(body.osdmap.osdmap) ? body.osdmap.osdmap : body.osdmap) : {};
  const pgmap = isRecord(body.pgmap) ? body.pgmap : {};
  const byState = Array.isArray(pgmap.pgs_by_state) ? pgmap.pgs_by_state.filter(isRecord) : [];
  return {
    health: body.health.status,
    checks: Object.entries(checks)
      .filter(([, c]) => isRecord(c) && c.muted !== true)
      .map(([code, c]) => {
        const check = c as Record<string, unknown>;
        const summary = isRecord(check.summary) ? check.summary : {};
        return { code, severity: scalarText(check.severity) ?? '', message: scalarText(summary.message) ?? code };
      })
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    osds: {
      total: finiteNumber(osdmap.num_osds) ?? 0,
      up: finiteNumber(osdmap.num_up_osds) ?? 0,
      in: finiteNumber(osdmap.num_in_osds) ?? 0,
    },
    pgs: {
      total: finiteNumber(pgmap.num_pgs) ?? 0,
      byState: byState.map((s) => ({ state: scalarText(s.state_name) ?? '', count: finiteNumber(s.count) ?? 0 })),
    },
  };
}

/** `ceph is HEALTH_WARN: noout flag(s) set; 1 osds down`, or undefined when HEALTH_OK. */
export function cephHealthProblem(status: CephStatus): string | undefined {
  if (status.health === 'HEALTH_OK') return undefined;
  const detail = status.checks.map((c) => c.message).join('; ');
  return `ceph is ${status.health}${detail ? `: ${detail}` : ''}`;
}

/** Placement groups not `active+clean`, e.g. `86 of 129 placement groups are not active+clean (86 active+undersized+degraded)`. */
export function uncleanPgsProblem(status: CephStatus): string | undefined {
  const unclean = status.pgs.byState.filter((s) => s.state !== 'active+clean' && s.count > 0);
  const count = unclean.reduce((n, s) => n + s.count, 0);
  if (!count) return undefined;
  return `${count} of ${status.pgs.total} placement groups are not active+clean (${unclean.map((s) => `${s.count} ${s.state}`).join(', ')})`;
}
