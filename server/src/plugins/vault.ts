import fp from 'fastify-plugin';
import { Vault } from '../modules/vault/vault.ts';

declare module 'fastify' {
  interface FastifyInstance {
    vault: Vault;
  }
}

/** The PII vault (per-campaign data keys, phone HMAC), shared by every module. */
export default fp(async (app) => {
  app.decorate('vault', new Vault(app.db, app.config));
}, { name: 'vault' });
