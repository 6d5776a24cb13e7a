import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Passerelle API', version: '0.1.0', description: 'API de la plateforme Passerelle (partenaires, campagnes, supervision).' },
      components: {
        securitySchemes: {
          partnerApiKey: { type: 'http', scheme: 'bearer', description: 'Clé d’API partenaire (pk_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'psid' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
});
