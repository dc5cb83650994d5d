import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { Violation } from '@nazorg/contracts';
import { ProblemException } from './problem.exception';

/** Thrown inside the pipe only, so `transform` can say where the bad fields were. */
class InvalidInput extends Error {
  constructor(readonly violations: Violation[]) {
    super('invalid input');
  }
}

/**
 * Nest's ValidationPipe for query, path and body DTOs (class-validator), answering a 400
 * problem+json with one field-level violation per bad field (`{ path, message }`, the shape of the
 * ingest API's), in the DTO's own wording: never the value. Strings are converted to the DTO's
 * types (`transform`), unknown fields are dropped (`whitelist`).
 */
@Injectable()
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      stopAtFirstError: true,
      // A value in a failed constraint would otherwise be part of the error object we build from.
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new InvalidInput(violationsOf(errors, '')),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const where = metadata.type === 'param' || metadata.type === 'body' ? metadata.type : 'query';
      throw ProblemException.invalid(error.violations, where);
    }
  }
}

function violationsOf(errors: ValidationError[], prefix: string): Violation[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...violationsOf(e.children ?? [], path)];
  });
}
