import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError, TenantsFile, WebhookSecrets } from '@nazorg/config';
import { PendingDelivery } from '@nazorg/persistence';
import { loggableError } from '@nazorg/privacy';
import { DeliverySender, SendReport } from './delivery-sender.port';
import { WebhookDestinationPolicy, WebhookRefusal } from './webhook-destination';
import { legacyWebhookSignature, standardWebhookSignature, WEBHOOK_HEADERS } from './webhook-signature';

/**
 * Webhook channel (CONTRACT section 3): POST of the CloudEvent, signed twice: the contract's
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, and the Standard Webhooks
 * `webhook-id` / `webhook-timestamp` / `webhook-signature: v1,<base64 HMAC of id.timestamp.body>`,
 * which lets a receiver refuse a replayed delivery (docs/connectors.md). Any non-2xx is a failure
 * the relay retries with back-off. A redirect is not followed, and a destination the policy refuses
 * (plain http in production, an internal address not allowed) is not contacted: both are refusals
 * the relay parks, since trying again cannot help until the configuration changes.
 */
@Injectable()
export class WebhookDeliverySender implements DeliverySender, OnModuleInit {
  readonly channelType = 'webhook';
  private readonly destinations: WebhookDestinationPolicy;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
    private readonly tenants: TenantsFile,
  ) {
    this.destinations = new WebhookDestinationPolicy(
      config.NAZORG_ENV === 'production',
      config.webhookAllowedPrivateHosts(),
    );
  }

  /** A missing secret or a URL the policy refuses stops the start, naming it, not the first delivery. */
  onModuleInit(): void {
    this.secrets.assertPresent(this.tenants);
    const recipients = [
      ...this.tenants.tenants.flatMap((t) => t.recipients),
      ...this.tenants.sharedRecipients,
    ];
    const problems = recipients
      .filter((r) => r.channel.type === 'webhook')
      .flatMap((r) => {
        try {
          this.destinations.check(r.channel.url);
          return [];
        } catch (error) {
          return [{ key: `recipient ${r.id} channel.url`, message: (error as Error).message }];
        }
      });
    if (problems.length) throw new ConfigError('tenants file', problems);
  }

  async send(batch: PendingDelivery[]): Promise<SendReport> {
    const results = await Promise.allSettled(batch.map((d) => this.post(d)));
    const out: SendReport = { sent: [], failed: [] };
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') out.sent.push(batch[i].id);
      else if (r.reason instanceof WebhookRefusal)
        out.failed.push({ id: batch[i].id, error: r.reason.message, refused: true });
      else out.failed.push({ id: batch[i].id, error: loggableError(r.reason) });
    });
    return out;
  }

  private async post(delivery: PendingDelivery): Promise<void> {
    const { url, secretEnv } = delivery.channel;
    const secret = this.secrets.secretFor(secretEnv);
    const key = this.secrets.signingKeyFor(secretEnv);
    if (!url || !secret || !key) throw new Error('webhook channel without url or secret');
    const target = this.destinations.check(url);
    const body = JSON.stringify(delivery.message);
    // The CloudEvent id: unique per recipient and stable under redelivery, so receivers de-duplicate on it.
    const id = String(delivery.message.id ?? delivery.id);
    const timestamp = Math.floor(Date.now() / 1000);
    const status = await this.postOnce(target, body, {
      'content-type': 'application/cloudevents+json',
      [WEBHOOK_HEADERS.legacySignature]: legacyWebhookSignature(secret, body),
      [WEBHOOK_HEADERS.id]: id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: standardWebhookSignature(key, id, timestamp, body),
      ...delivery.traceHeaders,
    });
    if (status >= 300 && status < 400)
      throw new WebhookRefusal('redirect', `answered ${status}; redirects are not followed`);
    if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
  }

  /**
   * One POST through node's http(s) client, which never follows a redirect, with the policy's DNS
   * lookup on the socket itself. Resolves to the status code.
   */
  private postOnce(target: URL, body: string, headers: Record<string, string>): Promise<number> {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: this.destinations.lookupFor(target),
          signal: AbortSignal.timeout(this.config.CONNECTOR_HTTP_TIMEOUT_MS),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
