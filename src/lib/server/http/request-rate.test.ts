/**
 * Each signed-in account's request rate (request-rate.ts), counted in the database on both
 * engines, and the hook's 429 answer in the asker's language and form.
 */
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { paraglideMiddleware } from '../../paraglide/server.js';
import { cookieName } from '../../paraglide/runtime.js';
import type { Database, DatabaseHandle } from '../db';
import { requestCounts } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { requestRate } from './handles';
import { countRequest, requestRateLimit } from './request-rate';

describe('REQUEST_RATE_LIMIT', () => {
	it('is 1,200 a minute unless set to a positive whole number', () => {
		expect(requestRateLimit(undefined)).toBe(1200);
		expect(requestRateLimit(' ')).toBe(1200);
		expect(requestRateLimit('30')).toBe(30);
		for (const wrong of ['0', '-5', '2.5', 'many']) {
			expect(() => requestRateLimit(wrong), wrong).toThrow(/REQUEST_RATE_LIMIT/);
		}
	});
});

for (const engine of testEngines()) {
	describe(`each account's request rate on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		/** Moves the account's minute `seconds` into the past, as if that much time had gone by. */
		async function age(account: SessionUser, seconds: number) {
			await db
				.update(requestCounts)
				.set({ windowStartedAt: sql`window_started_at - make_interval(secs => ${seconds})` })
				.where(
					and(eq(requestCounts.stationId, account.stationId), eq(requestCounts.userId, account.id))
				);
		}

		it('refuses the requests over the limit until the minute is over, then starts again', async () => {
			const station = await createStation(db, 'RATE1');
			const account = await createUser(db, station, 'busy');
			for (let request = 1; request <= 5; request++) {
				expect(await countRequest(db, account, 5), `request ${request}`).toBeNull();
			}
			const wait = await countRequest(db, account, 5);
			expect(wait).toBeGreaterThanOrEqual(1);
			expect(wait).toBeLessThanOrEqual(60);

			await age(account, 45);
			const shorter = await countRequest(db, account, 5);
			expect(shorter).toBeGreaterThanOrEqual(1);
			expect(shorter).toBeLessThanOrEqual(15);

			await age(account, 16);
			expect(await countRequest(db, account, 5)).toBeNull();
		});

		it('counts each account apart, across stations', async () => {
			const station = await createStation(db, 'RATE2');
			const other = await createStation(db, 'RATE3');
			const busy = await createUser(db, station, 'busy');
			const colleague = await createUser(db, station, 'calm');
			const namesake = await createUser(db, other, 'busy');
			for (let request = 0; request < 3; request++) await countRequest(db, busy, 3);
			expect(await countRequest(db, busy, 3)).not.toBeNull();
			expect(await countRequest(db, colleague, 3)).toBeNull();
			expect(await countRequest(db, namesake, 3)).toBeNull();
		});

		it('counts parallel requests exactly: no more get through than the limit', async () => {
			const station = await createStation(db, 'RATE4');
			const account = await createUser(db, station, 'burst');
			const answers = await Promise.all(
				Array.from({ length: 30 }, () => countRequest(db, account, 20))
			);
			expect(answers.filter((wait) => wait === null)).toHaveLength(20);
		});

		describe('the hook', () => {
			let account: SessionUser;
			const resolve = vi.fn(
				async (_event: RequestEvent, _options?: ResolveOptions) => new Response('answered')
			);

			beforeAll(async () => {
				const station = await createStation(db, 'RATE5');
				account = await createUser(db, station, 'hook', 'supervisor');
			});

			function event(
				path: string,
				user: SessionUser | null,
				options: { language?: 'zh-CN' | 'en'; subRequest?: boolean; accept?: string } = {}
			) {
				const headers = new Headers();
				if (options.language) headers.set('cookie', `${cookieName}=${options.language}`);
				if (options.accept) headers.set('accept', options.accept);
				const request = new Request(`http://127.0.0.1${path}`, { headers });
				return {
					request,
					url: new URL(request.url),
					locals: { user },
					isSubRequest: options.subRequest ?? false
				} as unknown as RequestEvent;
			}

			/** The hook's answer with the account's count already at the limit. */
			async function answer(
				path: string,
				user: SessionUser | null,
				options: Parameters<typeof event>[2] = {}
			) {
				await db
					.insert(requestCounts)
					.values({
						stationId: account.stationId,
						userId: account.id,
						windowStartedAt: new Date(),
						requests: 1200
					})
					.onConflictDoUpdate({
						target: [requestCounts.stationId, requestCounts.userId],
						set: { windowStartedAt: new Date(), requests: 1200 }
					});
				const hook = requestRate(async () => db);
				const request = event(path, user, options);
				return paraglideMiddleware(request.request, () => hook({ event: request, resolve }));
			}

			it('answers an account over its rate 429 with how long to wait, in its language', async () => {
				resolve.mockClear();
				const api = await answer('/api/trpc/jobs.list', account);
				expect(api.status).toBe(429);
				const wait = Number(api.headers.get('retry-after'));
				expect(wait).toBeGreaterThanOrEqual(1);
				expect(wait).toBeLessThanOrEqual(60);
				const body = await api.json();
				expect(body.error.json.data).toEqual({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
				expect(body.error.json.message).toBe(
					`您的账号请求过于频繁，本次未做任何更改。请 ${wait} 秒后再试。`
				);

				const page = await answer('/supervisor', account, { language: 'en' });
				expect(page.status).toBe(429);
				expect(await page.text()).toMatch(
					/^Too many requests from your account just now\. Nothing was changed; try again in \d+ seconds\.$/
				);
				expect(resolve).not.toHaveBeenCalled();
			});

			it('lets through, uncounted, whoever is not signed in and a page’s own sub-requests', async () => {
				resolve.mockClear();
				expect((await answer('/login', null)).status).toBe(200);
				expect(
					(await answer('/supervisor/scorecard.json', account, { subRequest: true })).status
				).toBe(200);
				expect(resolve).toHaveBeenCalledTimes(2);
			});
		});
	});
}
