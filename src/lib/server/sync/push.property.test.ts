/**
 * Property: however a device's outbox is delivered — duplicated, reordered, with gaps, from
 * two tabs at once (on Postgres really concurrently, on two connections), or with answers
 * lost after the commit so the device sends again — every mutation takes effect exactly
 * once and in id order, last_mutation_id only grows, and nothing after a gap is applied.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobHistory, jobParts, jobs, syncClients, syncMutations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import type { MutationEnvelope } from '../../shared/sync';
import { syncApi } from './testing';

type Step =
	| { kind: 'create' }
	| { kind: 'note'; job: number }
	| { kind: 'line'; job: number }
	| { kind: 'invalid' };

const MAX_JOBS = 4;
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
	{ arbitrary: fc.constant({ kind: 'create' as const }), weight: 2 },
	{
		arbitrary: fc.record({ kind: fc.constant('note' as const), job: fc.nat(MAX_JOBS) }),
		weight: 3
	},
	{
		arbitrary: fc.record({ kind: fc.constant('line' as const), job: fc.nat(MAX_JOBS) }),
		weight: 2
	},
	{ arbitrary: fc.constant({ kind: 'invalid' as const }), weight: 1 }
);

/** One request: some of the outbox's ids, in any order, repeats allowed. */
interface Delivery {
	picks: number[];
	/** Sent together with the previous delivery, as a second tab would. */
	concurrent: boolean;
	/** The answer is lost after the server committed: the device learns nothing. */
	answerLost: boolean;
}

const scenarioArbitrary = fc.array(stepArbitrary, { minLength: 1, maxLength: 16 }).chain((steps) =>
	fc.record({
		steps: fc.constant(steps),
		deliveries: fc.array(
			fc.record({
				picks: fc.array(fc.integer({ min: 1, max: steps.length }), {
					minLength: 1,
					maxLength: 8
				}),
				concurrent: fc.boolean(),
				answerLost: fc.boolean()
			}),
			{ maxLength: 8 }
		)
	})
);

interface Expected {
	status: 'applied' | 'rejected';
	/** Index of the job a create makes, or a note or line targets. */
	job?: number;
}

/** The outcome of each mutation when applied once, in id order. */
function expectedOutcomes(steps: Step[]): Expected[] {
	let created = 0;
	return steps.map((step) => {
		if (step.kind === 'create') return { status: 'applied', job: created++ };
		if (step.kind === 'invalid') return { status: 'rejected' };
		return { status: step.job < created ? 'applied' : 'rejected', job: step.job };
	});
}

for (const engine of testEngines()) {
	describe(`sync.push delivery property on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let station: { id: string; code: string; name: string; timeZone: string };
		let partId: string;
		let run = 0;

		beforeAll(async () => {
			handle = await engine.open();
			station = await createStation(handle.db, 'SYNC-PROP');
			partId = (await createPart(handle.db, station.id, 'P-1')).id;
		});

		afterAll(async () => {
			await handle?.close();
		});

		async function check(steps: Step[], deliveries: Delivery[]) {
			const db = handle.db;
			const technician: SessionUser = await createUser(db, station, `prop${++run}`);
			const api = syncApi(db, technician);
			const clientId = randomUUID();
			// Every step could be a create, so there is an id for each.
			const jobIds = Array.from({ length: steps.length }, () => randomUUID());
			const lineIds = new Map<number, string>();
			const lineId = (mutationId: number) => {
				const id = randomUUID();
				lineIds.set(mutationId, id);
				return id;
			};
			let jobsCreated = 0;
			const outbox: MutationEnvelope[] = steps.map((step, index) => {
				const id = index + 1;
				const madeAt = new Date(Date.UTC(2026, 2, 2, 1, id));
				switch (step.kind) {
					case 'create': {
						const job = jobsCreated++;
						const args = {
							id: jobIds[job],
							jobNo: `P${run}-${job}`,
							reportedAt: madeAt,
							customerName: 'C',
							productModel: 'M',
							faultDescription: 'F'
						};
						return { id, name: 'job.create', args, madeAt };
					}
					case 'note':
						return {
							id,
							name: 'job.update',
							args: { jobId: jobIds[step.job], fields: { notes: `m${id}` } },
							madeAt
						};
					case 'line':
						return {
							id,
							name: 'part.add',
							args: { id: lineId(id), jobId: jobIds[step.job], partId, qty: '1' },
							madeAt
						};
					case 'invalid':
						return {
							id,
							name: 'part.add',
							args: { id: lineId(id), jobId: jobIds[0], partId, qty: '0' },
							madeAt
						};
				}
			});

			const appliedIds: number[] = [];
			let confirmed = 0;
			let known = 0;
			async function send(envelopes: MutationEnvelope[], answerLost: boolean) {
				const before = confirmed;
				const answer = await api.push({ clientId, mutations: envelopes });
				expect(answer.lastMutationId).toBeGreaterThanOrEqual(before);
				confirmed = Math.max(confirmed, answer.lastMutationId);
				for (const result of answer.results) {
					expect(result.id).toBeLessThanOrEqual(answer.lastMutationId);
					if (result.status === 'applied') appliedIds.push(result.id);
				}
				const beyond = envelopes.some((e) => e.id > answer.lastMutationId);
				expect(answer.gap).toBe(beyond);
				if (!answerLost) known = Math.max(known, answer.lastMutationId);
			}

			for (let i = 0; i < deliveries.length; i++) {
				const group = [deliveries[i]];
				while (i + 1 < deliveries.length && deliveries[i + 1].concurrent)
					group.push(deliveries[++i]);
				await Promise.all(
					group.map((d) =>
						send(
							d.picks.map((pick) => outbox[pick - 1]),
							d.answerLost
						)
					)
				);
			}
			// Then the device drains its outbox the normal way, from what it knows was processed.
			while (known < outbox.length) await send(outbox.slice(known), false);

			const expected = expectedOutcomes(steps);
			// Exactly once: every mutation that applies was reported applied once, by one answer.
			expect([...appliedIds].sort((a, b) => a - b)).toEqual(
				expected.flatMap((e, index) => (e.status === 'applied' ? [index + 1] : []))
			);
			const [client] = await db
				.select()
				.from(syncClients)
				.where(and(eq(syncClients.stationId, station.id), eq(syncClients.id, clientId)));
			expect(client.lastMutationId).toBe(outbox.length);
			const recorded = await db
				.select({ id: syncMutations.mutationId, status: syncMutations.status })
				.from(syncMutations)
				.where(eq(syncMutations.clientId, clientId))
				.orderBy(syncMutations.mutationId);
			expect(recorded).toEqual(expected.map((e, index) => ({ id: index + 1, status: e.status })));

			// In id order: each job's notes are those of its last applied note.
			const createdJobs = await db
				.select({ id: jobs.id, notes: jobs.notes })
				.from(jobs)
				.where(and(eq(jobs.stationId, station.id), eq(jobs.technicianId, technician.id)));
			const expectedNotes = new Map<string, string>();
			steps.forEach((step, index) => {
				const outcome = expected[index];
				if (outcome.job === undefined || outcome.status !== 'applied') return;
				if (step.kind === 'create') expectedNotes.set(jobIds[outcome.job], '');
				if (step.kind === 'note') expectedNotes.set(jobIds[outcome.job], `m${index + 1}`);
			});
			expect(new Map(createdJobs.map((j) => [j.id, j.notes]))).toEqual(expectedNotes);

			// Each applied note changed the job once: one history row per note mutation.
			const history = await db
				.select({ mutationId: jobHistory.mutationId })
				.from(jobHistory)
				.where(and(eq(jobHistory.stationId, station.id), eq(jobHistory.clientId, clientId)));
			expect(history.map((h) => h.mutationId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
				steps.flatMap((step, index) =>
					step.kind === 'note' && expected[index].status === 'applied' ? [index + 1] : []
				)
			);
			const appliedLines = [...lineIds].filter(
				([mutationId]) =>
					steps[mutationId - 1].kind === 'line' && expected[mutationId - 1].status === 'applied'
			);
			const lines = await db
				.select({ id: jobParts.id })
				.from(jobParts)
				.where(
					and(eq(jobParts.stationId, station.id), inArray(jobParts.id, [...lineIds.values()]))
				);
			expect(lines.map((l) => l.id).sort()).toEqual(appliedLines.map(([, id]) => id).sort());
		}

		it('applies every mutation exactly once, in order, whatever the delivery', async () => {
			await fc.assert(
				fc.asyncProperty(scenarioArbitrary, ({ steps, deliveries }) => check(steps, deliveries)),
				{ numRuns: engine.name === 'postgres' ? 40 : 25 }
			);
		}, 240_000);
	});
}
