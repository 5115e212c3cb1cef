import { Inject, Injectable, Logger } from '@nestjs/common';
import { isErrorClass } from '@pvefleet/errors';
import { ChannelSender } from '../channels/channel-sender';
import { isWorthRetrying } from '../channels/delivery-failure';
import { AlertDeliveryRepository } from '../persistence/alert-delivery.repository';
import { DELIVERY_ATTEMPTS, retryDelayMs } from '../retry-backoff';
import { RetryLater } from './retry-later';

/**
 * One try of one delivery: send, then record the outcome on the row. The row counts the tries (a job
 * enqueued again after a Redis loss continues the count). A failure worth retrying, with tries left,
 * throws RetryLater for BullMQ's backoff; any other ends the delivery `failed`.
 */
@Injectable()
export class DeliveryAttempt {
  private readonly logger = new Logger('Alerts');

  constructor(
    @Inject(AlertDeliveryRepository) private readonly deliveries: AlertDeliveryRepository,
    @Inject(ChannelSender) private readonly sender: ChannelSender,
  ) {}

  async run(deliveryId: number): Promise<void> {
    const d = await this.deliveries.pendingForSending(deliveryId);
    if (!d) return; // settled already: a stale or repeated job
    const about = `alert ${d.payload.alert.id} to channel '${d.channel.name}'`;
    if (!d.channel.enabled) {
      await this.deliveries.failed(d.id, { error: 'the channel was disabled', httpStatus: null });
      return;
    }
    const outcome = await this.sender.send(d.channel, d.payload);
    const result = { error: outcome.error, httpStatus: outcome.httpStatus };
    if (outcome.delivered) {
      await this.deliveries.delivered(d.id, result);
      this.logger.log(`${about} delivered (try ${d.attempts + 1})`);
      return;
    }
    const tries = d.attempts + 1;
    const retry = isErrorClass(outcome.errorClass) && isWorthRetrying(outcome.errorClass) && tries < DELIVERY_ATTEMPTS;
    if (!retry) {
      await this.deliveries.failed(d.id, result);
      this.logger.warn(`${about} failed for good after ${tries} tries (${outcome.errorClass}): ${outcome.error}`);
      return;
    }
    const delayMs = retryDelayMs(tries);
    // Elapsed time, not the calendar: BullMQ waits in real time.
    await this.deliveries.retrying(d.id, result, new Date(Date.now() + delayMs));
    this.logger.warn(`${about}: try ${tries} failed (${outcome.errorClass}): ${outcome.error}; next in ${Math.round(delayMs / 1000)} s`);
    throw new RetryLater(outcome.error ?? 'not delivered', delayMs);
  }
}
