/** What the server's answers mean to the photo queue (http-transport.ts failureKind). */
import { describe, expect, it } from 'vitest';
import { failureKind } from './http-transport';

describe('an upload answer', () => {
	it('waits for the network when there is no answer or a gateway answers for the server', () => {
		expect([undefined, 502, 503, 504].map((status) => failureKind(status))).toEqual([
			'offline',
			'offline',
			'offline',
			'offline'
		]);
	});

	it('waits for the job when the server does not know it, and for a sign-in on 401', () => {
		expect(failureKind(404, 'NOT_FOUND')).toBe('jobUnknown');
		expect(failureKind(401, 'UNAUTHORIZED')).toBe('unauthorized');
	});

	it('retries server errors, and gives up on a refusal', () => {
		expect(failureKind(500)).toBe('server');
		expect(failureKind(429)).toBe('server');
		expect([400, 403, 409, 413, 415].map((status) => failureKind(status))).toEqual([
			'refused',
			'refused',
			'refused',
			'refused',
			'refused'
		]);
	});
});
