import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** A tenant id's shape (the tenant file's); whether it is configured is TenantScopeService's to say. */
export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function TenantField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, pattern: TENANT_ID.source, example: 'eemland-zuid' }),
    IsOptional(),
    Matches(TENANT_ID, { message: 'must be a configured tenant' }),
  );
}
