import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import type { NodeFacts } from '@pvefleet/jobs';
import { ObservesFacts, type FactsObserver } from '@pvefleet/tasks';
import { CertificateHistoryRepository } from './certificate-history.repository';

/**
 * In the worker: whenever a node's facts are stored, a certificate fingerprint not seen on that
 * node before is recorded (GET /certificates shows the change). pvefleet does not pin the nodes'
 * API certificates; this is a record, not a check.
 */
@Injectable()
@ObservesFacts('certificate history')
export class CertificateFactsObserver implements FactsObserver {
  constructor(
    @Inject(CertificateHistoryRepository) private readonly history: CertificateHistoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async factsChanged(nodeId: number, facts: NodeFacts | null): Promise<void> {
    const cert = facts?.certificate;
    if (!cert?.fingerprint) return;
    await this.history.recordSeen(nodeId, cert, this.clock.now());
  }
}
