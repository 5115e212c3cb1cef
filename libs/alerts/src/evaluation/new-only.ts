import { Inject, Injectable } from '@nestjs/common';
import { AlertRepository } from '../persistence/alert.repository';

/** Keeps the candidates whose dedupe key has not been raised, before anything more is read about them. */
@Injectable()
export class NewOnly {
  constructor(@Inject(AlertRepository) private readonly alerts: AlertRepository) {}

  async filter<T>(candidates: readonly T[], keyOf: (c: T) => string): Promise<{ item: T; key: string }[]> {
    const keyed = candidates.map((item) => ({ item, key: keyOf(item) }));
    const raised = await this.alerts.existingKeys(keyed.map((k) => k.key));
    return keyed.filter((k) => !raised.has(k.key));
  }
}
