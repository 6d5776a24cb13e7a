import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { loggerOptions } from './lib/logger.ts';
import infra from './plugins/infra.ts';
import errors from './plugins/errors.ts';
import security from './plugins/security.ts';
import textInput from './plugins/text-input.ts';
import docs from './plugins/docs.ts';
import observability from './plugins/observability.ts';
import auth from './plugins/auth.ts';
import vault from './plugins/vault.ts';
import multipart from './plugins/multipart.ts';
import workers from './plugins/workers.ts';
import consoles from './plugins/consoles.ts';
import realtime from './plugins/realtime.ts';
import agentHealth from './modules/agent-health/plugin.ts';
import dialer from './modules/dialer/plugin.ts';
import telephony from './modules/telephony/plugin.ts';
import supervision from './modules/supervision-media/plugin.ts';
import { apiModules } from './modules/index.ts';
import queueBoard from './plugins/queue-board.ts';

/** Wires plugins and modules; holds no logic of its own. */
export async function buildApp(config: Config, overrides: Partial<FastifyServerOptions> = {}) {
  const app = Fastify({
    logger: loggerOptions(config),
    trustProxy: config.TRUST_PROXY ? config.TRUST_PROXY.split(',').map((s) => s.trim()) : false,
    bodyLimit: 1024 * 1024,
    ...overrides,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(infra, { config });
  await app.register(errors);
  await app.register(security);
  await app.register(textInput);
  await app.register(docs);
  await app.register(observability);
  await app.register(auth);
  await app.register(vault);
  await app.register(multipart);
  await app.register(workers);
  await app.register(realtime);
  await app.register(agentHealth);
  await app.register(dialer);
  await app.register(telephony);
  await app.register(supervision);
  for (const mod of apiModules) await app.register(mod, { prefix: '/api' });
  await app.register(queueBoard);
  if (config.SERVE_CONSOLES) await app.register(consoles);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
