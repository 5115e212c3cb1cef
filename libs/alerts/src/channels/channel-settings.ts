import type { SMTP_SECURITY } from '@pvefleet/contracts';

/** What a channel stores in the clear (`alert_channel.config`, plus its type); the secret is sealed apart. */
export type ChannelSettings =
  | { type: 'webhook'; url: string }
  | {
      type: 'email';
      host: string;
      port: number;
      security: (typeof SMTP_SECURITY)[number];
      user: string | null;
      from: string;
      to: string[];
    };

export interface StoredChannel {
  id: number;
  name: string;
  enabled: boolean;
  settings: ChannelSettings;
  /** The sealed secret (HMAC key, SMTP password), or null. Opened only to send. */
  sealedSecret: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The context a channel's secret is sealed with: a sealed secret copied onto another channel does not open there. */
export const channelSecretContext = (channelId: number): string => `alert-channel:${channelId}`;
