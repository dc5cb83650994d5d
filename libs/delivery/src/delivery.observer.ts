import { Inject, Injectable } from '@nestjs/common';
import {
  METRICS,
  MetricsPort,
  Span,
  SpanKind,
  SpanStatusCode,
  startLinkedSpan,
  storedTraceContext,
} from '@nazorg/observability';
import { PendingDelivery } from '@nazorg/persistence';
import { SendReport } from './delivery-sender.port';

/**
 * The relay's observability, kept out of its flow: one publish span per delivery, continuing the
 * trace stored with its outbox row and carried on to the recipient in `traceHeaders`; and, once
 * the senders reported, the published / retried counters and the latency histograms.
 */
@Injectable()
export class DeliveryObserver {
  constructor(@Inject(METRICS) private readonly metrics: MetricsPort) {}

  begin(batch: PendingDelivery[]): { batch: PendingDelivery[]; spans: Map<string, Span> } {
    const spans = new Map<string, Span>();
    const traced = batch.map((d) => {
      const { span, headers } = startLinkedSpan(`publish ${d.channel.type}`, {
        kind: SpanKind.PRODUCER,
        parent: storedTraceContext(d.traceContext),
        attributes: {
          'nazorg.recipient_id': d.recipientId,
          'nazorg.recipient_kind': d.recipientKind,
          'nazorg.tenant_id': d.tenantId,
          'nazorg.event_type': String(d.message.type ?? ''),
          'nazorg.attempt': d.publishAttempts + 1,
        },
      });
      spans.set(d.id, span);
      return { ...d, traceHeaders: headers };
    });
    return { batch: traced, spans };
  }

  end(batch: PendingDelivery[], spans: Map<string, Span>, report: SendReport): void {
    const now = Date.now();
    const byId = new Map(batch.map((d) => [d.id, d]));
    for (const id of report.sent) {
      const d = byId.get(id);
      if (!d) continue;
      const eventTime = Date.parse(String(d.message.time ?? ''));
      this.metrics.deliveryPublished(
        d,
        d.createdAt ? (now - new Date(d.createdAt).getTime()) / 1000 : 0,
        Number.isNaN(eventTime) ? undefined : (now - eventTime) / 1000,
      );
      spans.get(id)?.end();
    }
    for (const { id } of report.failed) {
      const d = byId.get(id);
      if (d) this.metrics.deliveryRetried(d);
      // The error text may name a URL or quote an answer: the span says only that it failed.
      spans.get(id)?.setStatus({ code: SpanStatusCode.ERROR, message: 'publish failed' });
      spans.get(id)?.end();
    }
    for (const span of spans.values()) if (span.isRecording()) span.end();
  }
}
