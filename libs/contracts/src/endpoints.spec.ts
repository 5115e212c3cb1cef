import { describe, expect, it } from 'vitest';
import { matchEndpoint } from './endpoints';
import { listNodesQuery } from './nodes.contract';

describe('matchEndpoint', () => {
  it('finds the endpoint of a concrete path, literal segments first', () => {
    expect(matchEndpoint('GET', '/tasks/UPID:x/log')?.operationId).toBe('getTaskLog');
    expect(matchEndpoint('GET', '/tasks/UPID:x/log/stream')?.operationId).toBe('streamTaskLog');
    expect(matchEndpoint('POST', '/rollouts/3/nodes/pve1/release')?.operationId).toBe('releaseRolloutNode');
    expect(matchEndpoint('PUT', '/nodes/pve1')).toBeUndefined();
  });
});

describe('listNodesQuery', () => {
  it('reads repeated labels, paging defaults and the flags', () => {
    expect(listNodesQuery.parse({ label: ['dc=fra', 'role=compute'], facts: '1', q: 'pve' })).toEqual({
      label: { dc: 'fra', role: 'compute' },
      facts: true,
      q: 'pve',
      start: 0,
      limit: 50,
    });
    expect(listNodesQuery.parse({ label: 'dc=fra', start: '10', limit: '5' })).toMatchObject({ label: { dc: 'fra' }, start: 10, limit: 5 });
    expect(listNodesQuery.safeParse({ limit: '0' }).success).toBe(false);
  });
});
