# Passerelle server image (API + realtime; the same image runs the BullMQ workers).
# The server runs its production bundle (server/dist, built by `npm run build`); migrations still
# run from their TypeScript sources through tsx, so the image keeps the full dependency tree.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/var/data
WORKDIR /app

# Dependencies first (cached while only sources change): every workspace's package.json.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY agent-console/package.json agent-console/
COPY supervisor-console/package.json supervisor-console/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
RUN npm run build \
 && mkdir -p /app/var/data \
 && chown -R node:node /app/var

USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations are forward-only and idempotent: every start brings the schema up to date first.
CMD ["sh", "-c", "node --import tsx scripts/migrate.ts && exec node --max-old-space-size=512 server/dist/main.mjs"]
