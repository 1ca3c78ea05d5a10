import { createAdminsRepository } from './admins.repository.js';
import type { RepoDeps } from './base.js';
import { createPlansRepository } from './plans.repository.js';
import { createServersRepository } from './servers.repository.js';
import { createUsersRepository } from './users.repository.js';

/** Builds every repository over one set of models. */
export function createRepositories(deps: RepoDeps) {
  return {
    users: createUsersRepository(deps),
    admins: createAdminsRepository(deps),
    plans: createPlansRepository(deps),
    servers: createServersRepository(deps),
  };
}

/** Every repository of one database handle (`db.repos`). */
export type Repositories = ReturnType<typeof createRepositories>;

export * from './admins.repository.js';
export * from './plans.repository.js';
export * from './servers.repository.js';
export * from './users.repository.js';
