/**
 * What a failing tRPC call shows the client (core.ts errorFormatter and the outage
 * middleware), through tRPC's real HTTP handler: never SQL, a stack or a path; a generic message
 * with an error id for a server fault; 503 SERVICE_UNAVAILABLE for a lost database.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { m } from '../../paraglide/messages.js';
import { refusal } from '../refusal';
import { publicProcedure, router } from './core';

const SQL_FAULT = 'Failed query: select password_hash from users where login = $1\nparams: admin';

const testRouter = router({
	fault: publicProcedure.mutation(() => {
		throw new Error(SQL_FAULT);
	}),
	lostConnection: publicProcedure.mutation(() => {
		throw new Error(SQL_FAULT, {
			cause: Object.assign(new Error('terminating connection due to administrator command'), {
				code: '57P01'
			})
		});
	}),
	deadlock: publicProcedure.mutation(() => {
		throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
	}),
	refused: publicProcedure.mutation(() => {
		throw new TRPCError({ code: 'BAD_REQUEST', message: 'The job number must not be empty.' });
	}),
	typed: publicProcedure
		.input(z.object({ count: z.number() }))
		.mutation(({ input }) => input.count),
	domainRefusal: publicProcedure.mutation(() => {
		throw refusal('CONFLICT', 'Job J-7 is verified.', 'job_verified', { jobNo: 'J-7' });
	})
});

async function call(path: string, body: string) {
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request(`http://127.0.0.1/api/trpc/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body
		}),
		router: testRouter,
		createContext: () => ({ db: null as never, user: null })
	});
	const text = await response.text();
	return { status: response.status, text, error: JSON.parse(text).error.json };
}

/** What must never reach a client. */
const LEAKS =
	/select|password_hash|params|administrator command|deadlock detected|\.ts\b|\bat \w|node_modules/i;

let logged: string[];
beforeEach(() => {
	logged = [];
	vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
});
afterEach(() => vi.restoreAllMocks());

describe('tRPC error answers', () => {
	it('a server fault: 500, a generic message and an id the server log has with the detail', async () => {
		const answer = await call('fault', '{}');
		expect(answer.status).toBe(500);
		expect(answer.text).not.toMatch(LEAKS);
		expect(answer.error.data.stack).toBeUndefined();
		const errorId = /[0-9a-f]{8}/.exec(answer.error.message)?.[0];
		expect(errorId).toBeDefined();
		expect(logged.join('\n')).toContain(`RepairScore error ${errorId}`);
		expect(logged.join('\n')).toContain('select password_hash');
	});

	it('a lost database connection or a deadlock: 503 SERVICE_UNAVAILABLE, retry later', async () => {
		for (const path of ['lostConnection', 'deadlock']) {
			const answer = await call(path, '{}');
			expect(answer.status, path).toBe(503);
			expect(answer.error.data.code).toBe('SERVICE_UNAVAILABLE');
			expect(answer.text).not.toMatch(LEAKS);
		}
	});

	it('a refusal written for a person keeps its message; invalid input names the field', async () => {
		const refused = await call('refused', '{}');
		expect(refused.status).toBe(400);
		expect(refused.error.message).toBe('The job number must not be empty.');

		const typed = await call('typed', JSON.stringify({ json: { count: 'seven' } }));
		expect(typed.status).toBe(400);
		expect(typed.error.data.issues).toEqual([expect.objectContaining({ path: 'count' })]);
		expect(typed.text).not.toMatch(LEAKS);
	});

	it("a service's refusal: its kind as the code, its reason in the reader's language", async () => {
		const refused = await call('domainRefusal', '{}');
		expect(refused.status).toBe(409);
		expect(refused.error.data.code).toBe('CONFLICT');
		expect(refused.error.message).toBe(m.srv_reason_job_verified({ jobNo: 'J-7' }));
		expect(logged).toEqual([]);
	});

	it('unreadable JSON and an unknown procedure: no echo of the input, no stack', async () => {
		const unreadable = await call('typed', '{"json": {"count": 1');
		expect(unreadable.status).toBe(400);
		expect(unreadable.error.data.code).toBe('BAD_REQUEST');
		expect(unreadable.text).not.toMatch(/JSON|position|count/);
		expect(unreadable.text).not.toMatch(LEAKS);

		const unknown = await call('nothing.here', '{}');
		expect(unknown.status).toBe(404);
		expect(unknown.text).not.toMatch(LEAKS);
	});
});
