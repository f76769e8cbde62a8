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
import { createCategory, createPart, createStation, createUser } from '../server/testing/fixtures';
import { appRouter } from '../server/trpc/router';
import { syncApi, TestDevice } from '../server/sync/testing';
import { trpcTransport } from './sync/trpc-transport';

const REPORTED = new Date('2026-03-02T01:00:00.123Z');

for (const engine of testEngines().filter((e) => e.name === 'pglite')) {
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
