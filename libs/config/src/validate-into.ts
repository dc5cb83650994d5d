import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigError } from './config-error';

/** Validates a plain object into `cls`, or throws a ConfigError naming each bad key by its path. */
export function validateInto<T extends object>(cls: new () => T, plain: unknown, source: string): T {
  const instance = plainToInstance(cls, plain ?? {}, { exposeDefaultValues: true });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length) throw new ConfigError(source, flatten(errors, ''));
  return instance;
}

function flatten(errors: ValidationError[], prefix: string): { key: string; message: string }[] {
  return errors.flatMap((e) => {
    const key = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ key, message }));
    return [...own, ...flatten(e.children ?? [], key)];
  });
}
