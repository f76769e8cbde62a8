/**
 * Sending the outbox: in id order, at most PUSH_BATCH_LIMIT mutations per request. Rows stay in
 * the outbox after the server answers; a pull drops them once it shows their effect (apply-pull.ts).
 * Refused mutations are recorded in `rejected` so the technician sees what and why.
 *
 * A batch the server refuses as too large (HTTP 413: its body limit is per batch) is sent again
 * in halves. A change too large on its own can never be sent: it is recorded as refused here,
 * and the server is sent a stand-in without its content, which it refuses as invalid, so that it
 * moves past that id and the rest of the queue follows (the server takes ids in order).
 */
import { PUSH_BATCH_LIMIT, type MutationResult } from '../../shared/sync';
import type { LocalDatabase, OutboxEntry, RejectedChange } from '../local/db';
import { SyncFailure, type SyncTransport } from './transport';

/**
 * Pushes every outbox row above `pushedThrough` (the highest id the server has answered for) and
 * returns the new such id.
 */
export async function pushOutbox(
	db: LocalDatabase,
	transport: SyncTransport,
	clientId: string,
	pushedThrough: number,
	clock: () => Date = () => new Date()
): Promise<number> {
	let limit = PUSH_BATCH_LIMIT;
	for (;;) {
		const batch = await db.outbox.where('id').above(pushedThrough).limit(limit).toArray();
		if (batch.length === 0) return pushedThrough;
		let answer;
		try {
			answer = await transport.push({
				clientId,
				mutations: batch.map(({ id, name, args, madeAt }) => ({ id, name, args, madeAt }))
			});
		} catch (error) {
			if (!(error instanceof SyncFailure && error.kind === 'tooLarge')) throw error;
			if (batch.length > 1) {
				limit = Math.ceil(batch.length / 2);
				continue;
			}
			const [entry] = batch;
			await recordRejections(
				db,
				batch,
				[
					{
						id: entry.id,
						status: 'rejected',
						error: {
							code: 'PAYLOAD_TOO_LARGE',
							message: error.message,
							reason: { key: 'too_large', params: {} }
						}
					}
				],
				clock()
			);
			answer = await transport.push({
				clientId,
				mutations: [{ id: entry.id, name: entry.name, args: null, madeAt: entry.madeAt }]
			});
		}
		await recordRejections(db, batch, answer.results, clock());

		if (answer.gap) {
			// The server waits for lastMutationId + 1 before anything later: resend from there.
			const next = answer.lastMutationId + 1;
			if (!(await db.outbox.get(next))) {
				throw new SyncFailure(
					'server',
					`The server expects change ${next}, which this device no longer holds ` +
						`(the server's data may have been restored from an older backup).`
				);
			}
			pushedThrough = answer.lastMutationId;
			continue;
		}
		if (answer.lastMutationId <= pushedThrough) {
			throw new SyncFailure('server', `The server did not take change ${pushedThrough + 1}.`);
		}
		pushedThrough = answer.lastMutationId;
	}
}

async function recordRejections(
	db: LocalDatabase,
	batch: OutboxEntry[],
	results: MutationResult[],
	now: Date
): Promise<void> {
	// A resent mutation that was refused the first time may come back as a duplicate carrying the
	// stored refusal; either way it is a refusal the technician must see.
	const refused = results.filter((result) => result.status === 'rejected' || result.error);
	if (refused.length === 0) return;
	const byId = new Map(batch.map((entry) => [entry.id, entry]));
	await db.transaction('rw', [db.rejected, db.jobs, db.serverJobs], async () => {
		for (const result of refused) {
			const entry = byId.get(result.id);
			if (!entry || (await db.rejected.get(entry.id))) continue;
			const job = (await db.jobs.get(entry.jobId)) ?? (await db.serverJobs.get(entry.jobId));
			const createdJobNo = entry.name === 'job.create' ? String(entry.args.jobNo) : null;
			const record: RejectedChange = {
				mutationId: entry.id,
				name: entry.name,
				args: entry.args,
				madeAt: entry.madeAt,
				jobId: entry.jobId,
				jobNo: job?.jobNo ?? createdJobNo,
				code: result.error?.code ?? 'REJECTED',
				message: result.error?.message ?? '',
				...(result.error?.reason ? { reason: result.error.reason } : {}),
				rejectedAt: now,
				dismissedAt: null
			};
			await db.rejected.add(record);
		}
	});
}
