# syntax=docker/dockerfile:1
# One image for every process; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install -g pnpm@10.34.9
WORKDIR /app

# Build: all dependencies, then bundle each bot and service (workspace packages are bundled in).
FROM base AS build
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm turbo run build --filter='./bots/*' --filter='./services/*'

# Runtime: production dependencies only, plus the bundles and the scripts (migrations run with tsx).
FROM base AS runtime
ENV NODE_ENV=production
COPY --from=build /app /app
RUN pnpm install --frozen-lockfile --prod --offline || pnpm install --frozen-lockfile --prod
USER node
EXPOSE 8080
CMD ["pnpm", "run", "db:migrate", "status"]
