import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/supervisor/',
  plugins: [react()],
  // The console kit (session, HTTP client, i18n, login, design system) is shared with the agent console.
  resolve: { alias: { '@kit': fileURLToPath(new URL('../agent-console/src/kit', import.meta.url)) } },
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { port: 5174, proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true }, '/docs': 'http://127.0.0.1:3000' } },
  test: { name: 'supervisor-console', include: ['src/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
});
