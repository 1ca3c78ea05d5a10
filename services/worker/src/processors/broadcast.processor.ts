import type { Database } from '@vpn/db';
import type { PayloadOf, Processor, Producers, broadcastQueue } from '@vpn/queues';
import { runBroadcast, type BroadcastSenderDeps } from '../broadcast/broadcast-sender.js';
import { deleteSentCopies } from '../broadcast/delete-copies.js';

export interface BroadcastProcessorDeps extends BroadcastSenderDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'broadcast'>;
  clock?: () => Date;
}

/**
 * `broadcast`: `run` sends one broadcast until it is done, paused or cancelled (a long job: Bull
 * keeps its lock while the worker lives; if the worker dies, the job is taken again and resumes
 * from the rows). `tick` (every few seconds) starts scheduled broadcasts whose time has come and
 * makes sure every running broadcast has a `run` job (after a crash that outlived the job's
 * retries, or a resume), one per broadcast by its job id. `delete` deletes the sent copies.
 */
export function createBroadcastProcessor(deps: BroadcastProcessorDeps): Processor<PayloadOf<typeof broadcastQueue>> {
  const repo = deps.db.repos.broadcasts;
  return async (payload, { log }) => {
    if (payload.scope === 'run') return { outcome: await runBroadcast(deps, Number(payload.broadcastId), log) };
    if (payload.scope === 'delete') return deleteSentCopies(deps, Number(payload.broadcastId), log);
    const now = deps.clock?.() ?? new Date();
    let started = 0;
    const allowPaid = await deps.db.repos.settings.getKnown('broadcast.allowPaid');
    for (const due of await repo.listDue(now)) if (await repo.start(due.id, ['scheduled'], { allowPaid })) started++;
    const running = await repo.listRunning();
    for (const b of running) await deps.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    return { started, running: running.length };
  };
}
