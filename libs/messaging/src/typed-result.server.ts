import { Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { HandlingResult, InboundMessage, isHandlingResult } from './handling-result';

/**
 * What every broker adapter shares: dispatching a message to its `@EventPattern` handler and
 * reading the handler's typed result (docs/adr/0002). A handler that throws asks for a retry; one
 * that returns no HandlingResult is a bug, rejected visibly rather than silently acked.
 */
export abstract class TypedResultServer extends Server {
  protected assertHandlers(patterns: string[]): void {
    const missing = patterns.filter((p) => !this.getHandlerByPattern(p));
    if (missing.length) throw new Error(`no @EventPattern handler for: ${missing.join(', ')}`);
  }

  protected async dispatch(pattern: string, message: InboundMessage): Promise<HandlingResult> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return HandlingResult.reject(`no handler for pattern ${pattern}`);
    try {
      const outcome = await lastValueFrom(this.transformToObservable(await handler(message)), {
        defaultValue: undefined,
      });
      return isHandlingResult(outcome)
        ? outcome
        : HandlingResult.reject('handler returned no HandlingResult');
    } catch (error) {
      // Infrastructure or content, by the error's type and codes (failure-classification.ts).
      return HandlingResult.failed(error);
    }
  }
}
