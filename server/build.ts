/**
 * `npm run -w @passerelle/server build`: the production bundle in server/dist/ (plain Node, no
 * TypeScript loader at run time: ~45 MB less per process). Our code and the shared workspace are
 * bundled; npm packages stay external (native addons, bull-board's static files).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: { main: 'src/main.ts', 'worker-main': 'src/worker-main.ts', 'pool-worker': 'src/modules/imports/pool-worker.ts', 'recording-worker': 'src/modules/recordings/convert-worker.ts' },
  absWorkingDir: here,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'npm-packages-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@passerelle/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
