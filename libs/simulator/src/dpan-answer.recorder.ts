import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CloudEvent, DPAN_ANSWER_TOPIC } from '@nazorg/contracts';
import { EVENT_LOG, EventLogPort, EventLogSubscription, HandlingResult } from '@nazorg/messaging';

export const DPAN_ANSWERS_FILE = Symbol('DPAN_ANSWERS_FILE');
/** The Kafka consumer group the recorder reads with (tests use their own, not the demo feed's). */
export const DPAN_ANSWERS_GROUP = Symbol('DPAN_ANSWERS_GROUP');

/**
 * DJI's side of DPAN in the simulation: records every municipal answer the hub publishes on
 * `dpan.municipal-info.v1` (one JSON line per answer, `{ receivedAt, answer }`, in the answers
 * file) and logs how many came. A record that is not JSON is skipped, not recorded. The log names
 * no one: counts only.
 */
@Injectable()
export class DpanAnswerRecorder {
  private readonly logger = new Logger('DpanAnswers');
  private subscription?: EventLogSubscription;
  private received = 0;

  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLogPort,
    @Inject(DPAN_ANSWERS_FILE) private readonly file: string,
    @Optional() @Inject(DPAN_ANSWERS_GROUP) private readonly groupId: string = 'nazorg-feed-dpan-answers',
  ) {}

  async start(): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    await this.eventLog.ensureTopics([{ topic: DPAN_ANSWER_TOPIC, partitions: 3 }]);
    this.subscription = await this.eventLog.subscribe(
      { groupId: this.groupId, topics: [DPAN_ANSWER_TOPIC] },
      async (record) => {
        let answer: CloudEvent;
        try {
          answer = JSON.parse(record.value.toString('utf8')) as CloudEvent;
        } catch {
          return HandlingResult.reject('a DPAN answer that is not JSON');
        }
        appendFileSync(this.file, `${JSON.stringify({ receivedAt: new Date().toISOString(), answer })}\n`);
        this.received += 1;
        if (this.received === 1 || this.received % 25 === 0) {
          this.logger.log(`${this.received} DPAN answer(s) received, recorded in ${this.file}`);
        }
        return HandlingResult.done();
      },
    );
    this.logger.log(`recording DPAN answers from ${DPAN_ANSWER_TOPIC} in ${this.file}`);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
