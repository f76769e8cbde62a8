/**
 * Property: a batch pushed at once, where the fast path folds new jobs' steps into their
 * creation (rounds.ts), ends exactly as the same mutations pushed one per request: the same
 * results, job rows, part lines, follow-ups and job history (each change with its mutation and
 * device time). The two devices work in two stations with the same job and line ids, so
 * everything but the stations' own ids can be compared as is.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db';
import { followUps, jobHistory, jobParts, jobs } from '../../db/schema';
import { createCategory, createPart, createStation, createUser } from '../../testing/fixtures';
import { testEngines } from '../../testing/databases';
import type { MutationEnvelope } from '../../../shared/sync';
import { syncApi } from '../testing';

const JOBS = 3;
const AT = Date.parse('2026-03-02T01:00:00Z');

/** What a mutation does, independent of the station it is sent to. */
type Action =
	| { kind: 'create'; job: number }
	| { kind: 'update'; job: number; field: 'customerName' | 'notes' | 'deviceSerial'; value: string }
	| { kind: 'category'; job: number; category: 'known' | 'unknown' | 'none' }
	| { kind: 'arrive' | 'start'; job: number; minute: number }
	| {
			kind: 'complete';
			job: number;
			minute: number;
			outcome: 'fixed' | 'not_fixed';
			notes?: string;
	  }
	| { kind: 'part' | 'followUp' | 'cancel'; job: number };

const VISIT: Action[] = [
	{ kind: 'create', job: 0 },
	{ kind: 'update', job: 0, field: 'notes', value: 'A' },
	{ kind: 'arrive', job: 0, minute: 30 },
	{ kind: 'start', job: 0, minute: 35 },
	{ kind: 'complete', job: 0, minute: 90, outcome: 'fixed', notes: 'done' }
];

const job = fc.nat(JOBS - 1);
const minute = fc.integer({ min: 0, max: 600 });
const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
	{ arbitrary: fc.record({ kind: fc.constant('create' as const), job }), weight: 4 },
	fc.record({
		kind: fc.constant('update' as const),
		job,
		field: fc.constantFrom('customerName' as const, 'notes' as const, 'deviceSerial' as const),
		value: fc.constantFrom('', 'A', 'B')
	}),
	fc.record({
		kind: fc.constant('category' as const),
		job,
		category: fc.constantFrom('known' as const, 'unknown' as const, 'none' as const)
	}),
	{
		arbitrary: fc.record({
			kind: fc.constantFrom('arrive' as const, 'start' as const),
			job,
			minute
		}),
		weight: 3
	},
	{
		arbitrary: fc.record(
			{
				kind: fc.constant('complete' as const),
				job,
				minute,
				outcome: fc.constantFrom('fixed' as const, 'not_fixed' as const),
				notes: fc.constantFrom('', 'done')
			},
			{ requiredKeys: ['kind', 'job', 'minute', 'outcome'] }
		),
		weight: 2
	},
	{
		arbitrary: fc.record({
			kind: fc.constantFrom('part' as const, 'followUp' as const, 'cancel' as const),
			job
		}),
		weight: 2
	}
);

for (const engine of testEngines()) {
	describe(`sync.push folding on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** A station with a technician, a part and a category, and the labels of its own ids. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `FOLD-${++stations}`);
			const technician = await createUser(db, created, 'tech');
			const part = await createPart(db, created.id, 'P-1');
			const category = await createCategory(db, created.id, 'LEAK');
			const clientId = randomUUID();
			const labels = new Map([
				[technician.id, 'technician'],
				[part.id, 'part'],
				[category.id, 'category'],
				[clientId, 'client']
			]);
			return { technician, partId: part.id, categoryId: category.id, clientId, labels };
		}

		type Station = Awaited<ReturnType<typeof station>>;

		function outbox(actions: Action[], ids: Ids, at: Station): MutationEnvelope[] {
			return actions.map((action, index) => {
				const jobId = ids.jobs[action.job];
				const madeAt = new Date(AT + index * 60_000);
				const time = (minute: number) => new Date(AT + minute * 60_000);
				const envelope = (name: MutationEnvelope['name'], args: unknown) =>
					({ id: index + 1, name, args, madeAt }) as MutationEnvelope;
				switch (action.kind) {
					case 'create':
						return envelope('job.create', {
							id: jobId,
							jobNo: `F-${action.job}`,
							reportedAt: time(0),
							customerName: 'A',
							productModel: 'M',
							faultDescription: 'F'
						});
					case 'update':
						return envelope('job.update', { jobId, fields: { [action.field]: action.value } });
					case 'category': {
						const faultCategoryId = { known: at.categoryId, unknown: randomUUID(), none: null };
						return envelope('job.update', {
							jobId,
							fields: { faultCategoryId: faultCategoryId[action.category] }
						});
					}
					case 'arrive':
					case 'start':
						return envelope(`job.${action.kind}`, { jobId, at: time(action.minute) });
					case 'complete':
						return envelope('job.complete', {
							jobId,
							at: time(action.minute),
							outcome: action.outcome,
							notes: action.notes
						});
					case 'part':
						return envelope('part.add', {
							id: ids.lines[index],
							jobId,
							partId: at.partId,
							qty: '1'
						});
					case 'followUp':
						return envelope('followUp.add', {
							id: ids.lines[index],
							jobId,
							visitedAt: time(700),
							satisfaction: 4
						});
					case 'cancel':
						return envelope('job.cancel', { jobId, reason: 'customer cancelled' });
				}
			});
		}

		interface Ids {
			jobs: string[];
			lines: string[];
		}

		/** What the station holds, its own ids replaced by their labels. */
		async function stored(at: Station) {
			const db = handle.db;
			const stationId = at.technician.stationId;
			const [jobRows, lineRows, followUpRows, historyRows] = await Promise.all([
				db.select().from(jobs).where(eq(jobs.stationId, stationId)).orderBy(asc(jobs.id)),
				db
					.select({
						id: jobParts.id,
						jobId: jobParts.jobId,
						partId: jobParts.partId,
						qty: jobParts.qty
					})
					.from(jobParts)
					.where(eq(jobParts.stationId, stationId))
					.orderBy(asc(jobParts.id)),
				db
					.select({
						id: followUps.id,
						jobId: followUps.jobId,
						satisfaction: followUps.satisfaction
					})
					.from(followUps)
					.where(eq(followUps.stationId, stationId))
					.orderBy(asc(followUps.id)),
				db
					.select({
						jobId: jobHistory.jobId,
						field: jobHistory.field,
						oldValue: jobHistory.oldValue,
						newValue: jobHistory.newValue,
						changedBy: jobHistory.changedBy,
						deviceTime: jobHistory.deviceTime,
						clientId: jobHistory.clientId,
						mutationId: jobHistory.mutationId,
						reason: jobHistory.reason
					})
					.from(jobHistory)
					.where(eq(jobHistory.stationId, stationId))
					.orderBy(asc(jobHistory.jobId), asc(jobHistory.id))
			]);
			const jobValues = jobRows.map(
				({ stationId: _s, createdAt: _c, updatedAt: _u, version: _v, ...row }) => row
			);
			const labelled = JSON.stringify(
				{ jobs: jobValues, lines: lineRows, followUps: followUpRows, history: historyRows },
				(_key, value) => (typeof value === 'string' ? (at.labels.get(value) ?? value) : value)
			);
			return JSON.parse(labelled);
		}

		it('ends as the same mutations pushed one by one', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.array(actionArbitrary, { minLength: 1, maxLength: 24 }),
					async (actions) => {
						const ids: Ids = {
							jobs: Array.from({ length: JOBS }, () => randomUUID()),
							lines: actions.map(() => randomUUID())
						};
						const [together, oneByOne] = [await station(), await station()];

						const batch = outbox(actions, ids, together);
						const answer = await syncApi(handle.db, together.technician).push({
							clientId: together.clientId,
							mutations: batch
						});
						const singles: typeof answer.results = [];
						for (const mutation of outbox(actions, ids, oneByOne)) {
							const single = await syncApi(handle.db, oneByOne.technician).push({
								clientId: oneByOne.clientId,
								mutations: [mutation]
							});
							singles.push(...single.results);
						}

						const outcome = (result: (typeof singles)[number]) => [
							result.id,
							result.status,
							result.error?.code ?? null
						];
						expect(answer.results.map(outcome)).toEqual(singles.map(outcome));
						expect(await stored(together)).toEqual(await stored(oneByOne));
					}
				),
				{
					numRuns: engine.name === 'pglite' ? 25 : 40,
					// A visit recorded offline from start to finish: every step folds, and the steps
					// change several values each, so the history's order within a step counts too.
					examples: [[VISIT]]
				}
			);
		}, 240_000);
	});
}
