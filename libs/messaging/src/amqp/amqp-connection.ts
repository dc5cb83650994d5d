import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, BrokerIdentity, ConfigError, identityKey } from '@nazorg/config';
import { ChannelModel, connect, RecoveringChannelModel } from 'amqplib';
import { loggableError } from '@nazorg/privacy';

type OnConnect = (model: ChannelModel) => Promise<void>;

/** Which app this process is towards the brokers (MessagingModule.forRoot). */
export const BROKER_IDENTITY = Symbol('BROKER_IDENTITY');

/**
 * One recovering AMQP connection per process. Everything that needs channels (topology, the
 * publisher, consumers) registers an `onConnect` step; the steps run again after every reconnect,
 * because channels do not survive a lost connection.
 */
@Injectable()
export class AmqpConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly steps: OnConnect[] = [];
  private model?: ChannelModel;
  private recovering?: Promise<RecoveringChannelModel>;
  private closing = false;

  /** The RabbitMQ user this process connects as; publishers set it as `user_id`, which the broker checks. */
  readonly user: string;
  private readonly url: string;

  constructor(
    private readonly config: AppConfig,
    @Inject(BROKER_IDENTITY) readonly identity: BrokerIdentity,
  ) {
    const login = config.amqpLogin(identity);
    if (!login.password)
      throw new ConfigError('environment', [
        { key: `AMQP_PASSWORD_${identityKey(identity)}`, message: 'must be set (or a login in AMQP_URL)' },
      ]);
    this.user = login.user;
    this.url = config.amqpUrl(identity);
  }

  /** Runs `step` now if connected (connecting first if needed) and after every reconnect. */
  async onConnect(step: OnConnect): Promise<void> {
    // Registered first, so a reconnect during the first run runs it too; a first run that fails
    // leaves nothing registered (the caller may try again without doubling it).
    this.steps.push(step);
    try {
      await this.connected();
      if (this.model) await step(this.model);
    } catch (error) {
      this.steps.splice(this.steps.indexOf(step), 1);
      throw error;
    }
  }

  /** Resolves once connected; connects on first use so processes that never use AMQP never dial it. */
  async connected(): Promise<void> {
    if (!this.recovering) {
      this.recovering = connect(this.url, {
        recovery: {
          initialDelay: 200,
          maxDelay: 10_000,
          initialMaxRetries: 20,
          setup: async (model: ChannelModel) => {
            // The first run happens before `this.model` is set; later runs are reconnects.
            const reconnect = this.model !== undefined;
            this.model = model;
            if (reconnect) {
              this.logger.warn('AMQP connection re-established; restoring channels');
              for (const step of this.steps) await step(model);
            }
          },
        },
      });
      let recovering: RecoveringChannelModel;
      try {
        recovering = await this.recovering;
      } catch (error) {
        // Gave up connecting: the next call starts afresh instead of failing for ever.
        this.recovering = undefined;
        throw error;
      }
      recovering.on('disconnect', (error: Error) => {
        if (!this.closing) this.logger.warn(`AMQP connection lost: ${loggableError(error)}`);
      });
      recovering.on('error', (error: Error) =>
        this.logger.warn(`AMQP connection error: ${loggableError(error)}`),
      );
    }
    await this.recovering;
  }

  /** The live connection, for short-lived channels that are simply reopened after a reconnect. */
  async currentModel(): Promise<ChannelModel> {
    await this.connected();
    if (!this.model) throw new Error('AMQP connection not established');
    return this.model;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.recovering) await (await this.recovering).close().catch(() => undefined);
  }
}
