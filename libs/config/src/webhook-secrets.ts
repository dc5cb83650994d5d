import { ConfigError } from './config-error';
import { TenantsFile } from './tenant-config';

/** Shorter than this, an HMAC secret is guessable. */
const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * The signing secrets of webhook recipients (CONTRACT section 3). The tenant file names the
 * environment variable that holds each (`channel.secretEnv`), so no secret is ever in the
 * repository; they are read from the same environment as the rest of the configuration.
 */
export class WebhookSecrets {
  constructor(private readonly env: Record<string, string | undefined>) {}

  secretFor(secretEnv: string | undefined): string | undefined {
    return secretEnv ? this.env[secretEnv] : undefined;
  }

  /**
   * The HMAC key of a recipient's secret. A Standard Webhooks secret (`whsec_<base64>`) is its
   * decoded bytes, as their libraries expect; any other secret is its UTF-8 bytes, as the
   * `X-Hub-Signature-256` signature has always used it.
   */
  signingKeyFor(secretEnv: string | undefined): Buffer | undefined {
    const secret = this.secretFor(secretEnv);
    return secret === undefined || secret === '' ? undefined : webhookSigningKey(secret);
  }

  /**
   * Throws a ConfigError naming each webhook recipient's variable that is unset or too short. Only
   * the process that signs (the hub) calls it: others need not hold the secrets.
   */
  assertPresent(tenants: TenantsFile): void {
    const recipients = [...tenants.tenants.flatMap((t) => t.recipients), ...tenants.sharedRecipients];
    const problems = recipients
      .filter((r) => r.channel.type === 'webhook' && r.channel.secretEnv)
      .filter((r) => (this.secretFor(r.channel.secretEnv)?.length ?? 0) < MIN_WEBHOOK_SECRET_LENGTH)
      .map((r) => ({
        key: r.channel.secretEnv as string,
        message: `the signing secret of webhook recipient ${r.id}: set it, at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
      }));
    if (problems.length) throw new ConfigError('environment', problems);
  }
}

/** The HMAC key of a webhook secret: `whsec_<base64>` decoded, anything else as UTF-8. */
export function webhookSigningKey(secret: string): Buffer {
  return secret.startsWith(STANDARD_WEBHOOKS_PREFIX)
    ? Buffer.from(secret.slice(STANDARD_WEBHOOKS_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

const STANDARD_WEBHOOKS_PREFIX = 'whsec_';
