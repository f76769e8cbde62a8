/** What a form action makes of a refused call (form-refusal.ts), through an in-process caller. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { m } from '../../paraglide/messages.js';
import { refusal } from '../refusal';
import { createCallerFactory, publicProcedure, router } from './core';
import { formRefusal } from './form-refusal';

const api = createCallerFactory(
	router({
		refused: publicProcedure.mutation(() => {
			throw refusal('NOT_FOUND', 'Job 1 was not found.', 'job_not_found');
		}),
		typed: publicProcedure.input(z.object({ count: z.number() })).mutation(() => 1),
		fault: publicProcedure.mutation(() => {
			throw new Error('select * from users');
		})
	})
)({ db: null as never, user: null });

async function caught(call: Promise<unknown>): Promise<unknown> {
	return call.then(
		() => {
			throw new Error('expected a refusal');
		},
		(error: unknown) => error
	);
}

describe('formRefusal', () => {
	it("a service's refusal: its status, the refusal and its reason worded", async () => {
		const refused = formRefusal(await caught(api.refused()));
		expect(refused).toMatchObject({ code: 'NOT_FOUND', status: 404, issues: [] });
		expect(refused.refusal?.reason.key).toBe('job_not_found');
		expect(refused.message).toBe(m.srv_reason_job_not_found());
		// A service called directly throws the refusal itself: the same answer.
		expect(formRefusal(refused.refusal)).toEqual(refused);
	});

	it('invalid input: 400 with the field problems', async () => {
		const refused = formRefusal(await caught(api.typed({ count: 'x' as never })));
		expect(refused).toMatchObject({ code: 'BAD_REQUEST', status: 400, refusal: null });
		expect(refused.issues.map((issue) => issue.path)).toEqual([['count']]);
	});

	it('a server fault is not a refusal: rethrown as it came', async () => {
		const fault = await caught(api.fault());
		expect(() => formRefusal(fault)).toThrow(fault as Error);
	});
});
