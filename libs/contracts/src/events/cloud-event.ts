/**
 * The CloudEvents 1.0 envelope (structured JSON) used on every edge of the hub (CONTRACT section 1).
 * The extension attributes are the ones the hub adds to everything it emits.
 */
export interface CloudEvent<TData = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype?: 'application/json';
  data: TData;
  /** `id` of the feed event that started the chain. */
  correlationid?: string;
  /** `id` of the event that directly caused this one. */
  causationid?: string;
  tenant?: string;
  recipient?: string;
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
