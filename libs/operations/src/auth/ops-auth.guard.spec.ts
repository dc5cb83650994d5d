import { Controller, Get, Global, INestApplication, Module, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { ProblemFilter, Public } from '@nazorg/http';
import { FlowsQuery } from '../dto/flows.query';
import { OpsPrincipal } from '../ops-credentials.service';
import { OpsHttpModule } from './ops-http.module';
import { CoordinatorPrincipal } from './ops-request';
import { Principal } from './principal.decorator';
import { Roles } from './roles.decorator';
import { TenantScopeService } from './tenant-scope.service';

const OPERATOR = 'demo-operator-token';
const WESTLAND = 'demo-coordinator-westland-token';

@Controller('probe')
class ProbeController {
  constructor(private readonly tenants: TenantScopeService) {}

  @Get('public')
  @Public()
  open(): { open: true } {
    return { open: true };
  }

  @Get('undeclared')
  undeclared(): string {
    return 'should never answer';
  }

  @Get('operator')
  @Roles('operator')
  operator(@Principal() principal: OpsPrincipal): OpsPrincipal {
    return principal;
  }

  @Get('coordinator')
  @Roles('coordinator')
  coordinator(@Principal('coordinator') coordinator: CoordinatorPrincipal): CoordinatorPrincipal {
    return coordinator;
  }

  /** Roles wider than the handler's principal: @Principal('coordinator') still refuses an operator. */
  @Get('widened')
  @Roles('operator', 'coordinator')
  widened(@Principal('coordinator') coordinator: CoordinatorPrincipal): CoordinatorPrincipal {
    return coordinator;
  }

  @Get('scoped')
  @Roles('operator', 'coordinator')
  scoped(@Principal() principal: OpsPrincipal, @Query() query: FlowsQuery): { scope: string | null } {
    return { scope: this.tenants.scope(principal, query.tenant) };
  }
}

@Global()
@Module({
  providers: [
    { provide: AppConfig, useValue: Object.assign(new AppConfig(), { NAZORG_ENV: 'development' }) },
    {
      provide: TenantsFile,
      useValue: { tenants: [{ id: 'eemland-zuid' }, { id: 'westland' }], sharedRecipients: [] },
    },
  ],
  exports: [AppConfig, TenantsFile],
})
class FakeConfigModule {}

describe('OpsAuthGuard, @Roles(), @Principal() and tenant scoping', () => {
  let app: INestApplication;
  let url: string;
  const get = async (path: string, token?: string) => {
    const r = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await r.text();
    return { status: r.status, type: r.headers.get('content-type'), body: JSON.parse(text || 'null') };
  };

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [FakeConfigModule, OpsHttpModule],
      controllers: [ProbeController],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemFilter());
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  it('lets anyone reach a @Public() route', async () => {
    expect(await get('/probe/public')).toMatchObject({ status: 200, body: { open: true } });
  });

  it('answers 401 problem+json without a credential or with a wrong one, on every guarded route', async () => {
    for (const path of ['/probe/operator', '/probe/coordinator', '/probe/undeclared', '/probe/scoped']) {
      for (const token of [undefined, 'wrong-token-123', `${OPERATOR}x`]) {
        const r = await get(path, token);
        expect(r.status).toBe(401);
        expect(r.type).toMatch(/^application\/problem\+json/);
        expect(r.body).toMatchObject({ type: 'urn:nazorg-hub:problem:unauthorized', status: 401 });
      }
    }
  });

  it('answers 403 for a role the route does not list, and puts the principal on the request', async () => {
    expect(await get('/probe/operator', OPERATOR)).toMatchObject({ status: 200, body: { role: 'operator' } });
    const refused = await get('/probe/operator', WESTLAND);
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:nazorg-hub:problem:forbidden', title: 'Operators only' });
    expect(await get('/probe/coordinator', WESTLAND)).toMatchObject({
      status: 200,
      body: { role: 'coordinator', tenantId: 'westland' },
    });
    expect((await get('/probe/coordinator', OPERATOR)).status).toBe(403);
    expect((await get('/probe/widened', OPERATOR)).status).toBe(403);
    expect((await get('/probe/widened', WESTLAND)).status).toBe(200);
  });

  it('fails closed: a route with neither roles nor @Public() is refused to every role', async () => {
    for (const token of [OPERATOR, WESTLAND]) {
      const r = await get('/probe/undeclared', token);
      expect(r.status).toBe(403);
      expect(r.body.title).toBe('No role may use this endpoint');
    }
  });

  it("scopes a coordinator to its own tenant and checks an operator's tenant", async () => {
    expect((await get('/probe/scoped', WESTLAND)).body).toEqual({ scope: 'westland' });
    expect((await get('/probe/scoped?tenant=westland', WESTLAND)).body).toEqual({ scope: 'westland' });
    for (const other of ['eemland-zuid', 'nowhere'])
      expect((await get(`/probe/scoped?tenant=${other}`, WESTLAND)).status).toBe(403);
    expect((await get('/probe/scoped', OPERATOR)).body).toEqual({ scope: null });
    expect((await get('/probe/scoped?tenant=eemland-zuid', OPERATOR)).body).toEqual({
      scope: 'eemland-zuid',
    });
    const unknown = await get('/probe/scoped?tenant=nowhere', OPERATOR);
    expect(unknown.status).toBe(400);
    expect(unknown.body.violations).toEqual([{ path: 'tenant', message: 'must be a configured tenant' }]);
    // The query DTO is validated by the module's global pipe.
    const bad = await get('/probe/scoped?since=yesterday', OPERATOR);
    expect(bad.status).toBe(400);
    expect(bad.body.violations).toEqual([{ path: 'since', message: 'must be an ISO 8601 timestamp' }]);
  });
});
