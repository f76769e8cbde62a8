/**
 * The pull in columns (shared/sync-columns.ts): what the phone reads from `sync.pullColumns`,
 * through its own transport and tRPC's real fetch handler, is exactly `sync.pull`'s answer;
 * and it is smaller, since it no longer repeats field names or annotates every time.
 */
import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../server/auth/session-user';
import type { DatabaseHandle } from '../server/db';
import { testEngines } from '../server/testing/databases';
import { eq } from 'drizzle-orm';
import { jobParts, jobs, parts } from '../server/db/schema';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser
} from '../server/testing/fixtures';
import { pullOutputSchema, type PullOutput } from '../shared/sync-records';
import { appRouter } from '../server/trpc/router';
import { syncApi, TestDevice } from '../server/sync/testing';
import { trpcTransport } from './sync/trpc-transport';
import { fromColumns } from './pull-columns';

const REPORTED = new Date('2026-03-02T01:00:00.123Z');

for (const engine of testEngines()) {
	describe(`the phone's pull in columns on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		const answerSizes = new Map<string, number>();

		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(async () => {
			await handle?.close();
		});
		afterEach(() => vi.unstubAllGlobals());

		/** The browser's fetch, answered in-process by the server for `user`. */
		function serving(user: SessionUser) {
			vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
				const answer = await fetchRequestHandler({
					endpoint: '/api/trpc',
					req: new Request(url, init),
					router: appRouter,
					createContext: () => ({ db: handle.db, user })
				});
				const body = await answer.text();
				answerSizes.set(new URL(url).pathname, body.length);
				return new Response(body, { status: answer.status, headers: answer.headers });
			});
		}

		it('gives the phone exactly what sync.pull answers, in fewer bytes', async () => {
			const station = await createStation(handle.db, 'SYNC-COLUMNS');
			const tech = await createUser(handle.db, station, 'tech');
			const part = await createPart(handle.db, station.id, 'P-1', '8.50');
			const category = await createCategory(handle.db, station.id, 'LEAK');
			const phone = new TestDevice(handle.db, tech);
			for (let n = 0; n < 3; n++) {
				const jobId = randomUUID();
				const answer = await phone.push([
					phone.record('job.create', {
						id: jobId,
						jobNo: `COL-${n}`,
						reportedAt: REPORTED,
						customerName: '王先生',
						faultCategoryId: category.id
					}),
					phone.record('part.add', { id: randomUUID(), jobId, partId: part.id, qty: '1.5' }),
					phone.record('job.arrive', { jobId, at: REPORTED }),
					phone.record('job.start', { jobId, at: REPORTED }),
					phone.record('job.complete', { jobId, at: REPORTED, outcome: 'fixed' }),
					phone.record('followUp.add', { id: randomUUID(), jobId, visitedAt: REPORTED })
				]);
				expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
			}
			const clientId = randomUUID();
			const expected = await syncApi(handle.db, tech).pull({ clientId, cursor: null });
			serving(tech);
			const pulled = await trpcTransport('http://station.test/api/trpc').pull({
				clientId,
				cursor: null
			});

			// The first pull registered the client, a write of its own: the snapshot moved on.
			expect({ ...pulled, cursor: null }).toEqual({ ...expected, cursor: null });
			expect(pulled.changes.jobs[0].reportedAt).toEqual(REPORTED);
			expect(pulled.changes.followUps[0].satisfaction).toBeNull();
			expect(pulled.changes.jobParts).toHaveLength(3);

			await fetch('http://station.test/api/trpc/sync.pull', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ json: { clientId, cursor: null } })
			});
			const columns = answerSizes.get('/api/trpc/sync.pullColumns')!;
			const objects = answerSizes.get('/api/trpc/sync.pull')!;
			expect(columns).toBeLessThan(objects * 0.6);
		});

		/** An answer with each table's rows in id order (neither procedure orders them). */
		function byId(answer: PullOutput) {
			const sorted = <T extends { id: string }>(rows: T[]) =>
				[...rows].sort((a, b) => a.id.localeCompare(b.id));
			const { changes } = answer;
			return {
				...answer,
				changes: {
					jobs: sorted(changes.jobs),
					jobParts: sorted(changes.jobParts),
					followUps: sorted(changes.followUps),
					parts: sorted(changes.parts),
					faultCategories: sorted(changes.faultCategories)
				}
			};
		}

		it('reads as sync.pull for a supervisor and a technician, first and later pulls', async () => {
			const station = await createStation(handle.db, 'SYNC-COLUMNS-LATER');
			const tech = await createUser(handle.db, station, 'tech');
			const colleague = await createUser(handle.db, station, 'colleague');
			const supervisor = await createUser(handle.db, station, 'boss', 'supervisor');
			const part = await createPart(handle.db, station.id, 'P-1', '8.50');
			const retired = await createPart(handle.db, station.id, 'P-OLD', '0.05');
			await handle.db.update(parts).set({ active: false }).where(eq(parts.id, retired.id));
			await createCategory(handle.db, station.id, 'LEAK', 45);
			const earlier = await createJob(handle.db, colleague, {
				completedAt: new Date('2026-03-01T02:03:04.567Z'),
				status: 'completed',
				outcome: 'fixed'
			});
			const revisit = await createJob(handle.db, tech, { previousJobId: earlier.id });
			const own = await createJob(handle.db, tech, { customerName: '李 "引号" \\ 女士' });
			const lineValues = (jobId: string, qty: string) => ({
				id: randomUUID(),
				stationId: station.id,
				jobId,
				partId: part.id,
				qty,
				unitCost: '8.50'
			});
			await handle.db
				.insert(jobParts)
				.values([lineValues(own.id, '2.125'), lineValues(earlier.id, '1')]);

			const clients = new Map([tech, supervisor].map((user) => [user.id, randomUUID()]));
			const cursors = new Map<string, string>();
			const compare = async (user: SessionUser) => {
				const input = { clientId: clients.get(user.id)!, cursor: cursors.get(user.id) ?? null };
				const api = syncApi(handle.db, user);
				const objects = await api.pull(input);
				const columns = pullOutputSchema.parse(fromColumns(await api.pullColumns(input)));
				// Other transactions (the server's other databases) may have begun in between.
				expect({ ...byId(columns), cursor: null }).toEqual({ ...byId(objects), cursor: null });
				cursors.set(user.id, objects.cursor);
				return objects;
			};
			// First pulls register the clients; a pull of an unknown client is a write, so each
			// user's objects are read first, then its columns at the same cursor.
			for (const user of [tech, supervisor]) {
				await syncApi(handle.db, user).pull({ clientId: clients.get(user.id)!, cursor: null });
				await compare(user);
			}
			const supervisorFirst = await compare(supervisor);
			expect(supervisorFirst.changes.jobs.length).toBe(0);

			// Later pulls: a job reassigned to the technician (with a line of its own), a line
			// added to a job that stays, the technician's revisit moved to the colleague.
			await handle.db.update(jobs).set({ technicianId: tech.id }).where(eq(jobs.id, earlier.id));
			await handle.db.insert(jobParts).values(lineValues(own.id, '0.5'));
			await handle.db
				.update(jobs)
				.set({ technicianId: colleague.id })
				.where(eq(jobs.id, revisit.id));
			const later = await compare(tech);
			expect(later.changes.jobs.map((job) => job.id)).toEqual([earlier.id]);
			expect(later.changes.jobParts).toHaveLength(2);
			expect(later.deletes.jobs).toEqual([revisit.id]);
			const supervisorLater = await compare(supervisor);
			expect(supervisorLater.changes.jobs.find((job) => job.id === revisit.id)?.previousJobId).toBe(
				earlier.id
			);
		});

		it('refuses an answer whose rows are not the protocol’s', async () => {
			vi.stubGlobal('fetch', async () =>
				Response.json({
					result: {
						data: {
							json: {
								cursor: '1:1:',
								lastMutationId: 0,
								reset: false,
								changes: {
									jobs: [['not-a-uuid']],
									jobParts: [],
									followUps: [],
									parts: [],
									faultCategories: []
								},
								deletes: { jobs: [], jobParts: [], followUps: [], parts: [], faultCategories: [] }
							}
						}
					}
				})
			);
			const failure = await trpcTransport('http://station.test/api/trpc')
				.pull({ clientId: randomUUID(), cursor: null })
				.catch((error: unknown) => error);
			expect(failure).toMatchObject({ name: 'SyncFailure', kind: 'server' });
		});
	});
}
