import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig, ConfigModule } from '@nazorg/config';
import { PrivacyModule } from './privacy.module';
import { pseudonymizerFrom } from './pseudonymizer';
import { PSEUDONYMIZER, PseudonymizerPort } from './pseudonymizer.port';

@Injectable()
class NeedsPseudonyms {
  constructor(@Inject(PSEUDONYMIZER) readonly pseudonymizer: PseudonymizerPort) {}
}

describe('PrivacyModule', () => {
  it('provides one pseudonymiser, keyed from the configuration, to every class that injects the port', async () => {
    const env = {
      PSEUDONYM_KEY: 'the-current-pseudonym-secret',
      PSEUDONYM_PREVIOUS_KEYS: 'an-earlier-pseudonym-secret',
    };
    const module = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ env }), PrivacyModule],
      providers: [NeedsPseudonyms],
    }).compile();
    const provided = module.get<PseudonymizerPort>(PSEUDONYMIZER);
    expect(module.get(NeedsPseudonyms).pseudonymizer).toBe(provided);
    expect(provided.candidates('DJI-1')).toEqual(
      pseudonymizerFrom(module.get(AppConfig)).candidates('DJI-1'),
    );
    expect(provided.candidates('DJI-1')).toHaveLength(2);
  });
});
