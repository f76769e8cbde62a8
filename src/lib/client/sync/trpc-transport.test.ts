/**
 * How the browser's transport reads the server's refusals of a whole request. The answers are
 * the ones the server's hooks write (server/http/handles.ts, refusal), served by a stand-in fetch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncFailure } from './transport';
import { trpcTransport } from './trpc-transport';

afterEach(() => vi.unstubAllGlobals());

function answering(status: number, body: unknown) {
	vi.stubGlobal('fetch', async () => Response.json(body, { status }));
}

const push = () =>
	trpcTransport('http://station.test/api/trpc').push({
		clientId: '0190a000-0000-7000-8000-000000000001',
		mutations: []
	});

describe('trpcTransport', () => {
	it('reads a push refused for its size (413) as "too large", not as a failure to retry', async () => {
		const shape = {
			message: '请求过大（上限 6.3 MB）',
			code: -32000,
			data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 }
		};
		answering(413, { error: { json: shape } });
		const failure = await push().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(SyncFailure);
		expect((failure as SyncFailure).kind).toBe('tooLarge');
	});

	it('keeps a server error a failure to retry', async () => {
		const shape = {
			message: 'Internal server error',
			code: -32603,
			data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 }
		};
		answering(500, { error: { json: shape } });
		const failure = await push().catch((error: unknown) => error);
		expect((failure as SyncFailure).kind).toBe('server');
	});
});
