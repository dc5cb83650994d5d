# One image for every app of Nazorg Hub (docs/install.md, docs/adr/0018): the command picks the app,
#   node dist/apps/hub/src/main.js               node dist/apps/ops/src/main.js
#   node dist/apps/connector-<kind>/src/main.js  (brp, income, schuldhulp, zorg)
#   node dist/apps/feed/src/main.js simulate     node dist/apps/external-mocks/src/main.js
#   node dist/apps/hub/src/migrate.js            (applies the migrations and exits)
# Build: docker build -t nazorg-hub:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Compile TypeScript with swc (`npm run build`), with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No package needs an install script (swc's binary is an optional dependency); npm 11 would not
# run them anyway without an allow-list, so every npm says the same here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY .swcrc tsconfig.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. What runs: compiled code, production node_modules, the console's assets, the demo tenant file
#    and scenarios. Everything is root-owned and read-only for the app's user.
FROM ${NODE_IMAGE} AS runtime
# V8's heap sized to the work, not to the machine (docs/adr/0029; the same flags as config/node-options,
# which `npm start` and `npm run bench` use): without a limit V8 lets the heap grow towards a quarter
# of the node's memory before it collects, and the hub went past 400 MB in the bench.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8" \
    NAZORG_ENV=production \
    LISTEN_ADDRESS=0.0.0.0 \
    TENANTS_FILE=config/tenants.demo.yaml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY libs/console/assets ./libs/console/assets
COPY config ./config
COPY scenarios ./scenarios
# The only writable place (the simulated feed's DPAN answers); a read-only root file system in
# Kubernetes mounts an emptyDir here.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000 3001 4000 9470 9471 9472 9473 9474
# The hub's liveness by default; every other app sets NAZORG_HEALTH_URL to its own (ops: :3001/health,
# mocks: :4000/health, connectors and feed: their /metrics listener).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.NAZORG_HEALTH_URL || 'http://127.0.0.1:' + (process.env.HUB_HTTP_PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/hub/src/main.js"]
