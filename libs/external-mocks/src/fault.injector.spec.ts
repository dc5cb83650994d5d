import { Response } from 'express';
import { FaultInjector } from './fault.injector';

function fakeResponse(): Response & { statusCode: number } {
  const res = {
    statusCode: 200,
    req: { originalUrl: '/zorg/meldingen' },
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    type: () => res,
    setHeader: () => res,
  };
  return res as unknown as Response & { statusCode: number };
}

describe('FaultInjector: a forced fault (PUT /__faults)', () => {
  const injector = () => new FaultInjector({ slowAnswerMs: 0, maxRecordedRequests: 10 });

  it('answers normally until a fault is forced', async () => {
    expect(await injector().apply('normal', fakeResponse())).toBeUndefined();
  });

  it('answers 500 to every request while "error" is forced, whatever the behaviour', async () => {
    const faults = injector();
    faults.force('error');
    const res = fakeResponse();
    expect(await faults.apply('normal', res)).toMatchObject({ status: 500 });
    expect(res.statusCode).toBe(500);
    faults.force('none');
    expect(await faults.apply('normal', fakeResponse())).toBeUndefined();
  });

  it('holds requests while "hang" is forced and answers them normally once it ends', async () => {
    const faults = injector();
    faults.force('hang');
    let answered = false;
    const held = faults.apply('normal', fakeResponse()).then((p) => {
      answered = true;
      return p;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    faults.force('none');
    expect(await held).toBeUndefined();
  });
});
