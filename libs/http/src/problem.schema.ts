import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

export class ViolationSchema {
  @ApiProperty({ example: 'month', description: 'where: a query field, or a JSON path into the body' })
  path: string;

  @ApiProperty({ example: 'must be YYYY-MM' })
  message: string;
}

/** The RFC 9457 body of every non-2xx answer, for the OpenAPI document. */
export class ProblemSchema {
  @ApiProperty({ example: 'urn:nazorg-hub:problem:invalid-query' })
  type: string;

  @ApiProperty({ example: 'Invalid query' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ type: [ViolationSchema] })
  violations?: ViolationSchema[];
}

/** Documents `application/problem+json` answers with these statuses. */
export function ApiProblemResponses(
  ...responses: [status: number, description: string][]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemSchema' } } },
      }),
    ),
  );
}
