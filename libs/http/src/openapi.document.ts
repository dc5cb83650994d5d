import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemSchema, ViolationSchema } from './problem.schema';

export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const OPENAPI_UI_PATH = '/api/docs';

export interface OpenApiOptions {
  title: string;
  description: string;
  version: string;
  /** Bearer schemes the routes refer to by name (`@ApiBearerAuth(name)`), with what they are. */
  bearer?: Record<string, string>;
}

/** Builds the OpenAPI 3 document of an app from its controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version);
  for (const [name, description] of Object.entries(options.bearer ?? {}))
    builder.addBearerAuth({ type: 'http', scheme: 'bearer', description }, name);
  return SwaggerModule.createDocument(app, builder.build(), {
    // Referenced by ApiProblemResponses through $ref; no handler returns them as a type.
    extraModels: [ProblemSchema, ViolationSchema],
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/**
 * Serves the document at `/api/openapi.json` and Swagger UI at `/api/docs`, the UI's assets from
 * the installed swagger-ui-dist (no CDN; the online validator badge is off, so the page calls
 * nowhere but this app). Call before `app.init()`.
 */
export function serveOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: options.title,
    swaggerOptions: { validatorUrl: null, persistAuthorization: false },
  });
  return document;
}
