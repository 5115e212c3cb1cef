import {
  metricServerList,
  metricServersDiffer,
  sectionOf,
  type MetricServer,
  type MetricServerSection,
  type NodeFacts,
} from '@pvefleet/jobs';
import type { DesiredField } from '../desired-field';

/**
 * The cluster's external metric servers (the seed's "External Metric Server": graphite and influxdb
 * sections of /etc/pve/status.cfg). The file is cluster-wide, so the value is per cluster and the whole
 * list: a server in the file but not declared is drift, and the fix (`metricserver`, through one
 * quorate node) writes exactly the declared ones. InfluxDB tokens live in /etc/pve/priv and are not
 * part of it. Observed: the file's sections as parsed.
 */
export const metricServersField: DesiredField<MetricServer[], MetricServerSection[]> = {
  key: 'metricServers',
  description: 'the external metric servers of /etc/pve/status.cfg',
  scope: 'cluster',
  defaultMode: 'enforce',
  schema: metricServerList,
  observe(facts: Partial<NodeFacts>) {
    return facts.metricServers ?? null;
  },
  differs(desired, observed) {
    return metricServersDiffer(desired.map(sectionOf), observed);
  },
  fix(desired, facts) {
    const observed = facts.metricServers ?? null;
    if (observed && metricServersDiffer(desired.map(sectionOf), observed) === undefined) return [];
    return [{ type: 'metricserver', params: { servers: desired } }];
  },
};
