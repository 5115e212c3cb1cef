import { Inject, Injectable } from '@nestjs/common';
import type { CreateAlertChannel, DeliveryOutcome, UpdateAlertChannel } from '@pvefleet/contracts';
import { CLOCK, type Clock } from '@pvefleet/config';
import { SecretBox } from '@pvefleet/secrets';
import { testPayload } from '../channels/alert-payload';
import { ChannelSender } from '../channels/channel-sender';
import { channelSecretContext, type ChannelSettings, type StoredChannel } from '../channels/channel-settings';
import { AlertChannelRepository, type SecretChange } from '../persistence/alert-channel.repository';

/** Channels through the API: secrets sealed on the way in (context: the channel's id), never on the way out. */
@Injectable()
export class AlertChannelsService {
  constructor(
    @Inject(AlertChannelRepository) private readonly channels: AlertChannelRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(ChannelSender) private readonly sender: ChannelSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  create(body: CreateAlertChannel): Promise<StoredChannel> {
    const secret = body.type === 'webhook' ? body.secret : body.password;
    return this.channels.create({ name: body.name, enabled: body.enabled, settings: settingsOf(body) }, (id) =>
      secret === undefined ? null : this.box.seal(secret, channelSecretContext(id)),
    );
  }

  update(id: number, body: UpdateAlertChannel): Promise<StoredChannel> {
    const secret = body.type === 'webhook' ? body.secret : body.password;
    const change: SecretChange =
      secret === undefined
        ? { kind: 'keep' }
        : secret === null
          ? { kind: 'remove' }
          : { kind: 'seal', seal: (channelId) => this.box.seal(secret, channelSecretContext(channelId)) };
    return this.channels.update(id, { name: body.name, enabled: body.enabled, settings: settingsOf(body) }, change);
  }

  get(id: number): Promise<StoredChannel> {
    return this.channels.get(id);
  }

  page(start: number, limit: number) {
    return this.channels.page(start, limit);
  }

  remove(id: number): Promise<void> {
    return this.channels.remove(id);
  }

  /** One send of a test alert, now, from this process; nothing stored, no retry (a disabled channel is tested all the same). */
  async test(id: number): Promise<DeliveryOutcome> {
    const channel = await this.channels.get(id);
    return this.sender.send(channel, testPayload(channel.name, this.clock.now()));
  }
}

function settingsOf(body: CreateAlertChannel | UpdateAlertChannel): ChannelSettings {
  return body.type === 'webhook'
    ? { type: 'webhook', url: body.url }
    : { type: 'email', host: body.host, port: body.port, security: body.security, user: body.user ?? null, from: body.from, to: body.to };
}
