/**
 * The production server as a hostile client meets it (issue 10, items 3-5), over plain HTTP
 * with the headers and bodies a browser would never send: security headers, compression,
 * Host names, body limits per route, and error answers that show no detail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_STATION, demoTechnicians, signInAs } from './helpers/demo';
import { startServer, type ServerProcess } from './helpers/server-process';

const PORT = Number(process.env.E2E_PORT ?? 4173);
/** The language switch's cookie (Paraglide); without it the answer is in Chinese, the default. */
const ENGLISH = 'PARAGLIDE_LOCALE=en';

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text: string;
}

/**
 * One request as written, bytes and all: any Host header, no decompression, a body declared
 * with Content-Length or sent in chunks without one.
 */
function raw(
	path: string,
	{
		method = 'GET',
		headers = {},
		body,
		chunks
	}: {
		method?: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
		chunks?: Buffer[];
	} = {}
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		let answered = false;
		const request = http.request(
			// A connection of its own: a refused body may still be in the socket when the answer came.
			{ host: '127.0.0.1', port: PORT, path, method, headers, agent: false },
			(response) => {
				answered = true;
				const parts: Buffer[] = [];
				response.on('data', (part) => parts.push(part));
				response.on('end', () => {
					const all = Buffer.concat(parts);
					resolve({
						status: response.statusCode!,
						headers: response.headers,
						body: all,
						text: all.toString('utf8')
					});
				});
			}
		);
		// The server may answer (413) and close before a refused body is all written: what
		// counts is the answer.
		request.on('error', (error) => {
			if (!answered) reject(error);
		});
		if (chunks) {
			(async () => {
				for (const chunk of chunks) {
					if (request.destroyed) return;
					request.write(chunk);
					await new Promise((next) => setTimeout(next, 5));
				}
				request.end();
			})();
		} else {
			request.end(body);
		}
	});
}

async function sessionCookie(page: Page): Promise<string> {
	const cookies = await page.context().cookies();
	return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

/** What must never reach a client: SQL, stack frames, file paths, driver text. */
const LEAKS =
	/\bselect\b|\binsert\b|\bwhere\b|\bat [\w.<]+ \(|\/work\/|node_modules|\.ts:\d|postgres|pglite/i;

test.describe('headers', () => {
	test('a page: CSP without inline scripts, no framing, no sniffing, strict referrer, no caching', async () => {
		const answer = await raw('/login');
		expect(answer.status).toBe(200);
		const csp = String(answer.headers['content-security-policy']);
		// 'wasm-unsafe-eval' lets the barcode reader's WebAssembly compile; it allows no JS eval.
		expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'nonce-[^']+'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(answer.headers['x-frame-options']).toBe('DENY');
		expect(answer.headers['x-content-type-options']).toBe('nosniff');
		expect(answer.headers['referrer-policy']).toBe('same-origin');
		expect(answer.headers['cache-control']).toBe('no-store');
		// Served over plain http without an https ORIGIN: HSTS would lock browsers out.
		expect(answer.headers['strict-transport-security']).toBeUndefined();
		// Every inline script carries the page's nonce (JSON data blocks never run).
		const nonce = /'nonce-([^']+)'/.exec(csp)![1];
		const inlineScripts = [
			...answer.text.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")([^>]*)>/g)
		];
		expect(inlineScripts.length).toBeGreaterThan(0);
		for (const [, attributes] of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
	});

	test('hashed assets stay cacheable; every answer is nosniff and unframeable', async () => {
		const page = await raw('/login');
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(page.text)![0];
		const answer = await raw(asset);
		expect(answer.status).toBe(200);
		expect(answer.headers['cache-control']).toContain('immutable');
		expect(answer.headers['x-content-type-options']).toBe('nosniff');
		expect(answer.headers['x-frame-options']).toBe('DENY');
	});

	test('pages and JSON are compressed as Accept-Encoding allows', async ({ page }) => {
		for (const encoding of ['br', 'gzip'] as const) {
			const answer = await raw('/login', { headers: { 'accept-encoding': encoding } });
			expect(answer.headers['content-encoding']).toBe(encoding);
			expect(answer.headers.vary).toMatch(/accept-encoding/i);
		}
		const plain = await raw('/login', { headers: { 'accept-encoding': 'identity' } });
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.text).toContain('<html');

		await signInAs(page, demoTechnicians[0].login);
		const pull = await raw('/api/trpc/sync.pull', {
			method: 'POST',
			headers: {
				cookie: await sessionCookie(page),
				'content-type': 'application/json',
				'accept-encoding': 'gzip, br'
			},
			body: JSON.stringify({ json: { clientId: crypto.randomUUID(), cursor: null } })
		});
		expect(pull.status).toBe(200);
		expect(pull.headers['content-encoding']).toBe('br');
		expect(pull.headers['cache-control']).toBe('no-store');

		// The phone's pull (sync.pullColumns), where only gzip is accepted: smaller on the wire.
		const phonePull = await raw('/api/trpc/sync.pullColumns', {
			method: 'POST',
			headers: {
				cookie: await sessionCookie(page),
				'content-type': 'application/json',
				'accept-encoding': 'gzip'
			},
			body: JSON.stringify({ json: { clientId: crypto.randomUUID(), cursor: null } })
		});
		expect(phonePull.status).toBe(200);
		expect(phonePull.headers['content-encoding']).toBe('gzip');
		const json = gunzipSync(phonePull.body);
		expect(JSON.parse(json.toString('utf8')).result.data.json.changes.jobs.length).toBeGreaterThan(
			0
		);
		expect(phonePull.body.length).toBeLessThan(json.length / 3);
	});
});

test.describe('Host names (DNS rebinding)', () => {
	test('an unknown Host is refused in the asker’s language; the station’s own names pass', async () => {
		const refused = await raw('/login', {
			headers: { host: 'rebind.attacker.example', cookie: ENGLISH }
		});
		expect(refused.status).toBe(421);
		expect(refused.text).toContain('This server does not answer to this address');
		const refusedZh = await raw('/api/trpc/auth.me', {
			headers: { host: 'rebind.attacker.example' }
		});
		expect(refusedZh.status).toBe(421);
		expect(refusedZh.text).toContain('本服务器不响应这个地址');

		for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `station.local:${PORT}`]) {
			expect((await raw('/login', { headers: { host } })).status, host).toBe(200);
		}
		// Load balancers may address the health check by any name.
		const health = await raw('/healthz', { headers: { host: 'lb-internal.example' } });
		expect(health.status).toBe(200);
		expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
	});
});

test.describe('body limits', () => {
	const oversized = Buffer.alloc(100 * 1024, 'a');

	test('sign-in and tRPC calls are small; the refusal names the limit in the user’s language', async () => {
		const signIn = await raw('/login', {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: `http://127.0.0.1:${PORT}`,
				'x-sveltekit-action': 'true',
				accept: 'application/json'
			},
			body: Buffer.concat([Buffer.from('login=x&password='), oversized])
		});
		expect(signIn.status).toBe(413);
		expect(JSON.parse(signIn.text)).toEqual({
			type: 'error',
			error: { message: '请求太大：此处上限为 64 KB。' }
		});

		const trpc = await raw('/api/trpc/sync.pull', {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: ENGLISH },
			body: oversized
		});
		expect(trpc.status).toBe(413);
		const shape = JSON.parse(trpc.text).error.json;
		expect(shape.data.code).toBe('PAYLOAD_TOO_LARGE');
		expect(shape.message).toBe('This request is too large: the limit here is 64 KB.');
	});

	test('a body without Content-Length is cut off at the limit too', async () => {
		const answer = await raw('/login', {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: `http://127.0.0.1:${PORT}`,
				cookie: ENGLISH
			},
			chunks: Array.from({ length: 40 }, () => Buffer.alloc(4096, 'a'))
		});
		expect(answer.status).toBe(413);
		expect(answer.text).toBe('This request is too large: the limit here is 64 KB.');
	});

	test('a sync push may carry a full batch', async () => {
		const answer = await raw('/api/trpc/sync.push', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ json: { padding: 'a'.repeat(500 * 1024) } })
		});
		// Read and refused for who sent it (nobody signed in), not for its size.
		expect(answer.status).toBe(401);
	});

	test('the import upload takes megabytes from a supervisor only', async ({ browser }) => {
		const upload = async (cookie: string, size: number, declare?: number) => {
			const boundary = 'rs-boundary';
			const body = Buffer.concat([
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="jobs.csv"\r\n` +
						'Content-Type: text/csv\r\n\r\n'
				),
				Buffer.alloc(size, 'x'),
				Buffer.from(`\r\n--${boundary}--\r\n`)
			]);
			return raw('/supervisor/import', {
				method: 'POST',
				headers: {
					cookie: `${cookie}; ${ENGLISH}`,
					origin: `http://127.0.0.1:${PORT}`,
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'x-sveltekit-action': 'true',
					accept: 'application/json',
					...(declare ? { 'content-length': String(declare) } : {})
				},
				body: declare ? Buffer.alloc(0) : body
			});
		};
		const technician = await browser.newPage();
		await signInAs(technician, demoTechnicians[0].login);
		const refused = await upload(await sessionCookie(technician), 200 * 1024);
		expect(refused.status).toBe(413);
		expect(JSON.parse(refused.text)).toMatchObject({ type: 'error' });
		expect(refused.text).toContain('64 KB');

		const supervisor = await browser.newPage();
		await signInAs(supervisor, 'supervisor');
		const cookie = await sessionCookie(supervisor);
		const accepted = await upload(cookie, 200 * 1024);
		// Read whole and judged as an import file (not a valid one), not refused for its size.
		expect(accepted.text).not.toContain('too large');
		expect(JSON.parse(accepted.text).type).toBe('failure');

		// Read to its end (so a browser still uploading gets the answer), then refused.
		const tooLarge = await upload(cookie, 21 * 1024 * 1024);
		expect(tooLarge.status).toBe(413);
		expect(JSON.parse(tooLarge.text)).toMatchObject({ type: 'error' });
		expect(tooLarge.text).toContain('20 MB');
		// Declared far over the limit: answered at once, the body is not waited for.
		const huge = await upload(cookie, 0, 1024 * 1024 * 1024);
		expect(huge.status).toBe(413);
		expect(huge.text).toContain('20 MB');
	});
});

test.describe('error answers show no detail', () => {
	test('malformed, unreadable and unknown calls, and failing pages', async ({ page }) => {
		await signInAs(page, 'supervisor');
		const cookie = await sessionCookie(page);
		const json = { 'content-type': 'application/json', cookie };
		const probes = [
			raw('/api/trpc/sync.pull', { method: 'POST', headers: json, body: '{"json":{"clientId":1' }),
			raw('/api/trpc/sync.pull', {
				method: 'POST',
				headers: json,
				body: JSON.stringify({ json: { clientId: 'not-a-uuid', cursor: "1' or 1=1" } })
			}),
			raw('/api/trpc/no.such.procedure', { method: 'POST', headers: json, body: '{}' }),
			raw('/api/trpc/sync.push?batch=1', { method: 'POST', headers: json, body: '[[[' }),
			raw('/supervisor/jobs/not-a-uuid', { headers: { cookie } }),
			raw('/supervisor/technicians/00000000-0000-0000-0000-000000000000', { headers: { cookie } }),
			raw('/supervisor/scorecard.csv?from=yesterday&to=%00', { headers: { cookie } }),
			raw('/nothing/here', { headers: { cookie, accept: 'application/json' } })
		];
		for (const answer of await Promise.all(probes)) {
			expect(answer.status).toBeGreaterThanOrEqual(400);
			expect(answer.text).not.toMatch(LEAKS);
			expect(answer.text).not.toContain('"stack"');
		}
		// The station's own name shows the page still works after all that.
		await page.goto('/supervisor');
		await expect(page.getByText(DEMO_STATION.name).first()).toBeVisible();
	});
});

test.describe('behind a TLS proxy (ORIGIN https)', () => {
	let server: ServerProcess;
	let dataDir: string;
	test.beforeAll(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'rs-origin-'));
		server = await startServer(PORT + 101, {
			ORIGIN: 'https://repair.example.test',
			PGLITE_DIR: dataDir
		});
	});
	test.afterAll(async () => {
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	test('HSTS is sent, and only ORIGIN’s name (or an address) is answered', async () => {
		const get = (host: string) =>
			new Promise<http.IncomingMessage>((resolve, reject) => {
				http
					.get(
						{
							host: '127.0.0.1',
							port: PORT + 101,
							path: '/login',
							headers: { host },
							agent: false
						},
						(res) => {
							res.resume();
							resolve(res);
						}
					)
					.on('error', reject);
			});
		const own = await get('repair.example.test');
		expect(own.statusCode).toBe(200);
		expect(own.headers['strict-transport-security']).toBe('max-age=63072000');
		expect((await get(`127.0.0.1:${PORT + 101}`)).statusCode).toBe(200);
		expect((await get('station.local')).statusCode).toBe(421);
		expect((await get('rebind.attacker.example')).statusCode).toBe(421);
	});
});
