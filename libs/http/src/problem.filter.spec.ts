import { Body, Controller, Get, INestApplication, NotFoundException, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsOptional, Matches, Max } from 'class-validator';
import { Type } from 'class-transformer';
import { ProblemException } from './problem.exception';
import { ProblemFilter } from './problem.filter';
import { ProblemValidationPipe } from './problem-validation.pipe';

const BSN = '999990019';

class ProbeQuery {
  @Matches(/^\d{4}-\d{2}$/, { message: 'must be YYYY-MM' })
  month: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Max(10, { message: 'must be at most 10' })
  limit?: number;
}

class ProbeBody {
  @Matches(/^[a-z]+$/, { message: 'must be lower-case letters' })
  name: string;
}

@Controller('probe')
class ProbeController {
  @Get('problem')
  problem(): never {
    throw new ProblemException({
      type: 'urn:nazorg-hub:problem:still-invalid',
      title: 'The event is still invalid',
      status: 422,
      violations: [{ path: '$.data.person.bsn', message: 'fails the eleven-test' }],
    });
  }

  @Get('nest')
  nest(): never {
    throw new NotFoundException(`no person ${BSN}`);
  }

  @Get('crash')
  crash(): never {
    throw new Error(`duplicate key value (bsn)=(${BSN})`);
  }

  @Get('query')
  query(@Query() query: ProbeQuery): ProbeQuery {
    return query;
  }

  @Post('body')
  body(@Body() body: ProbeBody): ProbeBody {
    return body;
  }
}

/** The one global filter: every non-2xx answer is problem+json, and none quotes the input. */
describe('ProblemFilter and ProblemValidationPipe', () => {
  let app: INestApplication;
  let url: string;
  const call = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${url}${path}`, init);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemFilter());
    app.useGlobalPipes(new ProblemValidationPipe());
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  it('writes a ProblemException as it is, as application/problem+json', async () => {
    const r = await call('/probe/problem');
    expect(r.status).toBe(422);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.text)).toEqual({
      type: 'urn:nazorg-hub:problem:still-invalid',
      title: 'The event is still invalid',
      status: 422,
      violations: [{ path: '$.data.person.bsn', message: 'fails the eleven-test' }],
    });
  });

  it("answers Nest's own exceptions and unknown routes with the status phrase only, never the message or path", async () => {
    const nest = await call('/probe/nest');
    expect(nest.status).toBe(404);
    expect(nest.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(nest.text)).toEqual({ type: 'about:blank', title: 'Not Found', status: 404 });
    const route = await call(`/api/v1/detentions/${BSN}/nothing`);
    expect(route.status).toBe(404);
    expect(route.type).toMatch(/^application\/problem\+json/);
    for (const r of [nest, route]) expect(r.text).not.toContain(BSN);
  });

  it('answers an unexpected error with a 500 problem that says nothing about it', async () => {
    const r = await call('/probe/crash');
    expect(r.status).toBe(500);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.text)).toMatchObject({ type: 'urn:nazorg-hub:problem:internal', status: 500 });
    expect(r.text).not.toContain(BSN);
  });

  it('answers a bad query with one field-level violation per field, in the DTO wording, without the value', async () => {
    const r = await call(`/probe/query?month=${BSN}&limit=${BSN}`);
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.text)).toEqual({
      type: 'urn:nazorg-hub:problem:invalid-query',
      title: 'Invalid query',
      status: 400,
      violations: [
        { path: 'month', message: 'must be YYYY-MM' },
        { path: 'limit', message: 'must be at most 10' },
      ],
    });
    expect(r.text).not.toContain(BSN);
    // Valid input is converted to the DTO's types.
    expect(JSON.parse((await call('/probe/query?month=2026-11&limit=3')).text)).toEqual({
      month: '2026-11',
      limit: 3,
    });
  });

  it('names a bad body as such', async () => {
    const r = await call('/probe/body', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: BSN }),
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({
      type: 'urn:nazorg-hub:problem:invalid-body',
      violations: [{ path: 'name', message: 'must be lower-case letters' }],
    });
  });
});
