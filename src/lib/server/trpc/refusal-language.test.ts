/**
 * Every refusal a person sees is in the language of their UI (issue 10, item 3): requests run
 * through Paraglide's middleware as in hooks.server.ts, so the language comes from the
 * language cookie, and without one it is the default, zh-CN. One refusal of each kind: tRPC
 * UNAUTHORIZED, FORBIDDEN for a role, an endpoint's 400, an administrator's CONFLICT and a
 * domain service's refusal by reason.
 */
import { randomUUID } from 'node:crypto';
import { isHttpError } from '@sveltejs/kit';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paraglideMiddleware } from '../../paraglide/server.js';
import { cookieName } from '../../paraglide/runtime.js';
import { GET as stationScorecardJson } from '../../../routes/supervisor/scorecard.json/+server';
import type { Database, DatabaseHandle } from '../db';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { appRouter } from './router';

type Language = 'zh-CN' | 'en';

function requestIn(language: Language | null, url: string, init: RequestInit = {}): Request {
	const headers = new Headers(init.headers);
	if (language) headers.set('cookie', `${cookieName}=${language}`);
	return new Request(url, { ...init, headers });
}

/** The message of a tRPC call's error, answered by tRPC's HTTP handler inside the middleware. */
async function trpcRefusal(
	db: Database,
	user: SessionUser | null,
	language: Language | null,
	path: string,
	input: unknown,
	kind: 'query' | 'mutation' = 'query'
) {
	const payload = JSON.stringify({ json: input });
	const url = `http://127.0.0.1/api/trpc/${path}`;
	const request =
		kind === 'query'
			? requestIn(language, `${url}?input=${encodeURIComponent(payload)}`)
			: requestIn(language, url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: payload
				});
	const response = await paraglideMiddleware(request, ({ request }) =>
		fetchRequestHandler({
			endpoint: '/api/trpc',
			req: request,
			router: appRouter,
			createContext: () => ({ db, user })
		})
	);
	const body = await response.json();
	return { status: response.status, message: body.error.json.message as string };
}

/** An endpoint's error() as SvelteKit answers it: the status and the body's message. */
async function endpointRefusal(user: SessionUser, language: Language | null, url: string) {
	const request = requestIn(language, url);
	return paraglideMiddleware(request, async ({ request }) => {
		try {
			await stationScorecardJson({
				request,
				url: new URL(request.url),
				locals: { user, sessionToken: null }
			} as unknown as Parameters<typeof stationScorecardJson>[0]);
		} catch (caught) {
			if (isHttpError(caught)) return { status: caught.status, message: caught.body.message };
			throw caught;
		}
		throw new Error('the endpoint answered instead of refusing');
	});
}

for (const engine of testEngines()) {
	describe(`refusals in the UI language (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let technician: SessionUser;
		let supervisor: SessionUser;
		let systemAdmin: SessionUser;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const station = await createStation(db, 'LNG');
			technician = await createUser(db, station, 'tech', 'technician');
			supervisor = await createUser(db, station, 'lead', 'supervisor');
			systemAdmin = await createUser(db, station, 'root', 'system_admin');
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('not signed in: UNAUTHORIZED in Chinese by default and in English when chosen', async () => {
			for (const [language, message] of [
				[null, '请先登录。'],
				['zh-CN', '请先登录。'],
				['en', 'Sign in first.']
			] as const) {
				const answer = await trpcRefusal(db, null, language, 'auth.me', undefined);
				expect(answer, String(language)).toEqual({ status: 401, message });
			}
		});

		it('a role that may not: FORBIDDEN names the roles by their translated names', async () => {
			const zh = await trpcRefusal(db, technician, null, 'admin.stations.list', undefined);
			expect(zh).toEqual({
				status: 403,
				message: '此操作需要以下角色：管理员或系统管理员；您当前的登录角色是技师。'
			});
			const en = await trpcRefusal(db, technician, 'en', 'admin.stations.list', undefined);
			expect(en).toEqual({
				status: 403,
				message:
					'This needs the role Administrator or System administrator; you are signed in as Technician.'
			});
		});

		it('a system administrator at station work: FORBIDDEN with the reason', async () => {
			const job = { id: randomUUID() };
			expect(await trpcRefusal(db, systemAdmin, null, 'jobs.get', job)).toEqual({
				status: 403,
				message: '系统管理员负责管理服务站和账号，不处理服务站的业务。'
			});
			expect(await trpcRefusal(db, systemAdmin, 'en', 'jobs.get', job)).toEqual({
				status: 403,
				message: 'A system administrator manages stations and accounts, not station work.'
			});
		});

		it("an endpoint's 400 for a bad period", async () => {
			const url = 'http://127.0.0.1/supervisor/scorecard.json?period=someday';
			expect(await endpointRefusal(supervisor, null, url)).toEqual({
				status: 400,
				message: '时间段无效：“someday”不是有效的时间段，请写成 2026-W14、2026-03 或 2026-Q1。'
			});
			expect(await endpointRefusal(supervisor, 'en', url)).toEqual({
				status: 400,
				message:
					'Invalid period: period: "someday" is not a period; write 2026-W14, 2026-03 or 2026-Q1.'
			});
		});

		it("an administrator's CONFLICT: a station code already taken", async () => {
			const station = { code: 'LNG', name: 'Again', timeZone: 'Asia/Shanghai' };
			const zh = await trpcRefusal(
				db,
				systemAdmin,
				'zh-CN',
				'admin.stations.create',
				station,
				'mutation'
			);
			expect(zh.status).toBe(409);
			expect(zh.message).toMatch(/LNG/);
			expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
			const en = await trpcRefusal(
				db,
				systemAdmin,
				'en',
				'admin.stations.create',
				station,
				'mutation'
			);
			expect(en.status).toBe(409);
			expect(en.message).toMatch(/LNG/);
			expect(en.message).not.toMatch(/[\u4e00-\u9fff]/);
		});

		it("a domain service's refusal is worded from its reason, not its English message", async () => {
			const missing = { id: randomUUID() };
			expect(await trpcRefusal(db, supervisor, null, 'jobs.get', missing)).toEqual({
				status: 404,
				message: '在您的服务站中找不到这个工单，或者它不属于您。'
			});
			expect(await trpcRefusal(db, supervisor, 'en', 'jobs.get', missing)).toEqual({
				status: 404,
				message: 'This job was not found in your station, or it is not yours.'
			});
		});

		it('invalid input names the fields in the chosen language, without zod English', async () => {
			const zh = await trpcRefusal(db, supervisor, null, 'jobs.get', { id: 'nope' });
			expect(zh).toEqual({ status: 400, message: '以下值无效：id。' });
			const en = await trpcRefusal(db, supervisor, 'en', 'jobs.get', { id: 'nope' });
			expect(en).toEqual({ status: 400, message: 'Some values are not valid: id.' });
		});
	});
}
