import { AppConfig, TenantsFile } from '@nazorg/config';
import { OpsCredentialsService } from './ops-credentials.service';

const tenants = {
  tenants: [{ id: 'eemland-zuid' }, { id: 'westland' }],
  sharedRecipients: [],
} as unknown as TenantsFile;
const config = (overrides: Partial<AppConfig>) => Object.assign(new AppConfig(), overrides);

describe('operations API credentials', () => {
  const demo = new OpsCredentialsService(config({ NAZORG_ENV: 'development' }), tenants);

  it('knows the operator and, without configured ones, the demo coordinator of every tenant', () => {
    expect(demo.authenticate('Bearer demo-operator-token')).toEqual({
      ok: true,
      principal: { role: 'operator' },
    });
    expect(demo.authenticate('bearer demo-coordinator-westland-token')).toEqual({
      ok: true,
      principal: { role: 'coordinator', tenantId: 'westland' },
    });
  });

  it('refuses a missing, malformed, wrong or merely similar token', () => {
    for (const header of [
      undefined,
      '',
      'demo-operator-token',
      'Basic demo-operator-token',
      'Bearer ',
      'Bearer demo-operator-toke',
      'Bearer demo-operator-token2',
      'Bearer demo-coordinator-haarlem-token',
    ])
      expect(demo.authenticate(header)).toEqual({ ok: false });
  });

  it('uses configured coordinator tokens instead of the demo ones', () => {
    const configured = new OpsCredentialsService(
      config({ OPS_COORDINATOR_TOKENS: 'westland=a-long-westland-secret' }),
      tenants,
    );
    expect(configured.authenticate('Bearer a-long-westland-secret')).toEqual({
      ok: true,
      principal: { role: 'coordinator', tenantId: 'westland' },
    });
    expect(configured.authenticate('Bearer demo-coordinator-westland-token')).toEqual({ ok: false });
  });

  it('has no demo coordinator tokens in production', () => {
    const production = new OpsCredentialsService(
      config({ NAZORG_ENV: 'production', OPS_OPERATOR_TOKEN: 'a-real-operator-secret' }),
      tenants,
    );
    expect(production.authenticate('Bearer demo-coordinator-westland-token')).toEqual({ ok: false });
    expect(production.authenticate('Bearer a-real-operator-secret').ok).toBe(true);
  });

  it('refuses to start with a coordinator token for a tenant that does not exist, naming the key', () => {
    expect(
      () =>
        new OpsCredentialsService(
          config({ OPS_COORDINATOR_TOKENS: 'westlnd=a-long-westland-secret' }),
          tenants,
        ),
    ).toThrow(/OPS_COORDINATOR_TOKENS: no tenant "westlnd"/);
  });
});
