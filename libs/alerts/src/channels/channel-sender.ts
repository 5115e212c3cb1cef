import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryOutcome } from '@pvefleet/contracts';
import { CLOCK, type Clock } from '@pvefleet/config';
import { errorClassOf, errorMessage } from '@pvefleet/errors';
import { SecretBox } from '@pvefleet/secrets';
import type { AlertPayload } from './alert-payload';
import { channelSecretContext, type StoredChannel } from './channel-settings';
import { DeliveryFailure } from './delivery-failure';
import { sendEmail } from './email-sender';
import { sendWebhook } from './webhook-sender';

/**
 * One send through one channel, its secret opened only here and only for the send. Never throws:
 * the outcome carries the error and its class (the secret never appears in it: the senders' messages
 * name the URL or the SMTP server, never the key or the password).
 */
@Injectable()
export class ChannelSender {
  constructor(
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async send(channel: StoredChannel, payload: AlertPayload): Promise<DeliveryOutcome> {
    try {
      const secret = channel.sealedSecret === null ? null : this.box.open(channel.sealedSecret, channelSecretContext(channel.id));
      const s = channel.settings;
      if (s.type === 'webhook') {
        if (secret === null) throw new DeliveryFailure('permanent', 'the webhook has no secret to sign with');
        const { httpStatus } = await sendWebhook(s.url, secret, payload, this.clock.now());
        return { delivered: true, httpStatus, error: null, errorClass: null };
      }
      await sendEmail(s, secret, payload);
      return { delivered: true, httpStatus: null, error: null, errorClass: null };
    } catch (err) {
      return {
        delivered: false,
        httpStatus: err instanceof DeliveryFailure ? err.httpStatus : null,
        error: errorMessage(err),
        errorClass: errorClassOf(err),
      };
    }
  }
}
