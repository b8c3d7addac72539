import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@mustafid/auth';

export const API_DOCS_PATH = 'api/docs';

/** The OpenAPI description of every route, with the bearer token and the session cookie as schemes. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Mustafid API')
    .setDescription(
      'Beneficiary intake for the Saudi Human Resources Society. Sign in with POST /api/auth/login, ' +
        'then press "Authorize" and paste the accessToken (or rely on the session cookie in the browser). ' +
        'Machine clients (created at /api/clients) get their token at POST /oauth/token with OAuth 2.0 client credentials.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth(SESSION_COOKIE)
    .addOAuth2({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /api/docs and the JSON at /api/docs-json. */
export function serveApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildApiDocument(app), {
    jsonDocumentUrl: `${API_DOCS_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'Mustafid API',
  });
}
