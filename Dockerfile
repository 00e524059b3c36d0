# syntax=docker/dockerfile:1
# kes in a container: the `kes` CLI (app, topology apply, schemas register, ...) as the entrypoint.
#
#   docker build -t kes .
#   docker run --rm kes --help
#
# Three stages: `build` compiles the TypeScript with the dev dependencies, `deps` installs the
# production dependencies only, and the runtime image gets the compiled code, those dependencies and
# the schemas (read from disk at run time), and runs as the unprivileged `node` user.
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Only tsc runs here: no install scripts, so no native build is attempted.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY examples ./examples
COPY topology ./topology
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# classic-level (LevelDB) ships prebuilt binaries for glibc on x64 and arm64, which slim is.
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    KES_HTTP_HOST=0.0.0.0 \
    KES_HTTP_PORT=3000 \
    KES_DATA_DIR=/data \
    KES_APP=dist/topology/application.js
WORKDIR /app
# package.json makes dist/ ES modules ("type": "module"); schemas/ is found upwards from dist/.
# KES_APP: the example application (the shop and the ledger) that the image runs.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
# The instance's stores (mount a volume here); a new named volume takes this owner.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# slim has no curl: Node's fetch asks the HTTP API whether the process is up.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.KES_HTTP_PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["app"]
