import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@nazorg/config';
import { AftercareEventType, DPAN_ANSWER_TOPIC, HUB_SOURCE } from '@nazorg/contracts';
import { EVENT_LOG, EventLogPort, MessagingModule } from '@nazorg/messaging';
import { DpanAnswerRecorder } from '@nazorg/simulator';
import { randomUUID } from 'node:crypto';

/**
 * The feed's side of DPAN on the real Kafka: the recorder writes every municipal answer that
 * arrives on dpan.municipal-info.v1 to its file, one JSON line each, and skips a record that is not
 * JSON without stopping. Its own consumer group, so the demo feed's group is not touched.
 */
describe('DpanAnswerRecorder (feed)', () => {
  let app: INestApplication;
  let eventLog: EventLogPort;
  let recorder: DpanAnswerRecorder;
  const file = join(mkdtempSync(join(tmpdir(), 'nazorg-dpan-answers-')), 'answers.jsonl');
  const groupId = `test-dpan-recorder-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    @Module({ imports: [ConfigModule.forRoot(), MessagingModule.forRoot({ identity: 'feed-injus' })] })
    class RecorderModule {}
    app = await NestFactory.create(RecorderModule, { logger: false });
    await app.init();
    eventLog = app.get<EventLogPort>(EVENT_LOG);
    await eventLog.ensureTopics([{ topic: DPAN_ANSWER_TOPIC, partitions: 3 }]);
    // From the end of the topic: earlier runs' and the demo's answers are not this test's.
    await eventLog.resetGroupToLatest(groupId, DPAN_ANSWER_TOPIC);
    recorder = new DpanAnswerRecorder(eventLog, file, groupId);
    await recorder.start();
  });
  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
  });

  const lines = () =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { receivedAt: string; answer: { id: string } })
      : [];

  it('records each answer as one JSON line and skips a record that is not JSON', async () => {
    const detentionId = `DJI-T-RECORDER-${randomUUID().slice(0, 8).toUpperCase()}`;
    const answer = {
      specversion: '1.0',
      id: randomUUID(),
      source: HUB_SOURCE,
      type: AftercareEventType.DPAN_MUNICIPAL_INFO,
      time: new Date().toISOString(),
      subject: detentionId,
      datacontenttype: 'application/json',
      data: { detentionId, municipality: 'haarlem', aftercare: { required: true } },
      correlationid: randomUUID(),
      causationid: randomUUID(),
      tenant: 'haarlem',
      recipient: 'dji-dpan',
    };
    // Same key, so the same partition: the broken record comes first and must not block the answer.
    await eventLog.publish(DPAN_ANSWER_TOPIC, [
      { key: detentionId, value: 'not json {' },
      { key: detentionId, value: JSON.stringify(answer) },
    ]);
    const deadline = Date.now() + 30000;
    while (!lines().some((l) => l.answer.id === answer.id) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const recorded = lines();
    expect(recorded).toHaveLength(1);
    expect(recorded[0].answer).toEqual(answer);
    expect(Number.isNaN(Date.parse(recorded[0].receivedAt))).toBe(false);
  });
});
