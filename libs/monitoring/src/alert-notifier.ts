import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { IncidentView } from './incident';

/**
 * Sends incidents to ALERT_WEBHOOK_URL as JSON, signed like webhook deliveries
 * (`X-Hub-Signature-256`) when ALERT_WEBHOOK_SECRET is set. Throws on any non-2xx, so the caller
 * leaves the incident unnotified and tries again at its next tick.
 */
@Injectable()
export class AlertNotifier {
  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.ALERT_WEBHOOK_URL !== '';
  }

  async send(status: 'raised' | 'resolved', incident: IncidentView): Promise<void> {
    const body = JSON.stringify({ status, incident });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.ALERT_WEBHOOK_SECRET)
      headers['x-hub-signature-256'] =
        `sha256=${createHmac('sha256', this.config.ALERT_WEBHOOK_SECRET).update(body, 'utf8').digest('hex')}`;
    const response = await fetch(this.config.ALERT_WEBHOOK_URL, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.config.CONNECTOR_HTTP_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`alert webhook answered ${response.status}`);
  }
}
