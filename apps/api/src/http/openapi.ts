import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../model-configs/http/openapi.decorators';

export const OPENAPI_JSON_PATH = '/openapi.json';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('usage-ledger governance API')
    .setDescription(
      'Bifrost-compatible model-config API. Errors use Bifrost’s body; /api/* needs ' +
        '`Authorization: Bearer <API key>`.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'A key from GOVERNANCE_API_KEYS. x-api-key headers and Basic credentials are not accepted.',
      },
      BEARER_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, the document at /openapi.json; neither needs a key. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
