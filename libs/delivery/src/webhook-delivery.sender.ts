import { createHmac } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, TenantsFile, WebhookSecrets } from '@nazorg/config';
import { PendingDelivery } from '@nazorg/persistence';
import { DeliverySender, SendReport } from './delivery-sender.port';
import { report } from './rabbitmq-delivery.sender';

/**
 * Webhook channel (CONTRACT section 3): POST of the CloudEvent, signed with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; any non-2xx is a failure that
 * the relay retries with back-off.
 */
@Injectable()
export class WebhookDeliverySender implements DeliverySender, OnModuleInit {
  readonly channelType = 'webhook';

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
    private readonly tenants: TenantsFile,
  ) {}

  /** A missing secret stops the start, naming its variable, not the first delivery. */
  onModuleInit(): void {
    this.secrets.assertPresent(this.tenants);
  }

  async send(batch: PendingDelivery[]): Promise<SendReport> {
    const results = await Promise.allSettled(batch.map((d) => this.post(d)));
    return report(batch, results);
  }

  private async post(delivery: PendingDelivery): Promise<void> {
    const { url, secretEnv } = delivery.channel;
    const secret = this.secrets.secretFor(secretEnv);
    if (!url || !secret) throw new Error('webhook channel without url or secret');
    const body = JSON.stringify(delivery.message);
    const signature = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        'x-hub-signature-256': `sha256=${signature}`,
        ...delivery.traceHeaders,
      },
      body,
      signal: AbortSignal.timeout(this.config.CONNECTOR_HTTP_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}
