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
# pg_dump / pg_restore for the worker's backups and `pnpm db:restore`, of the PostgreSQL server's
# major version (docker-compose.yml: postgres:16): an older pg_dump refuses a newer server, and
# Debian bookworm ships 15, so from PostgreSQL's own apt repository.
ARG PG_MAJOR=16
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSo /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
 && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && install -d -o node -g node /backups
COPY --from=build /app /app
RUN pnpm install --frozen-lockfile --prod --offline || pnpm install --frozen-lockfile --prod
USER node
EXPOSE 8080
CMD ["pnpm", "run", "db:migrate", "status"]
