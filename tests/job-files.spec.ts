/**
 * A job's files over HTTP (lib/shared/job-files.ts, issue 14 item 5): described by tRPC, sent
 * in pieces by PUT /api/files/{id}?offset=N, served with private caching and no sniffing to
 * whoever may read the job, and shown on the supervisor's job page. The refusals a hostile or
 * confused client meets: 413 past a piece, 415 for anything but octet-stream, 409 with the
 * progress for a piece out of order, 404 for a file out of scope.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';

const CHUNK = 256 * 1024;
/** The language switch's cookie (Paraglide): the refusals in English. */
const ENGLISH = { name: 'PARAGLIDE_LOCALE', value: 'en' };

/** A "JPEG": the signature the server sniffs, then noise. */
function jpegBytes(size: number): Buffer {
	const bytes = randomBytes(size);
	Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(bytes);
	return bytes;
}

async function trpc(
	request: APIRequestContext,
	type: 'query' | 'mutation',
	path: string,
	input: unknown
) {
	const body = JSON.stringify({ json: input });
	const answer =
		type === 'query'
			? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(body)}`)
			: await request.post(`/api/trpc/${path}`, {
					data: body,
					headers: { 'content-type': 'application/json' }
				});
	expect(answer.status(), await answer.text()).toBe(200);
	return (await answer.json()).result.data.json;
}

function putPiece(
	request: APIRequestContext,
	id: string,
	offset: number,
	data: Buffer,
	headers = {}
) {
	return request.put(`/api/files/${id}?offset=${offset}`, {
		data,
		headers: { 'content-type': 'application/octet-stream', ...headers }
	});
}

/**
 * Signs `page` in as the first demo technician who has a job still open. The demo is a function
 * of the hour it was seeded at, and earlier tests complete jobs, so which technician that is
 * varies; the desk's work in hand always leaves at least two open.
 */
async function technicianWithOpenJob(
	page: Page
): Promise<{ login: string; job: { id: string; jobNo: string } }> {
	for (const technician of demoTechnicians) {
		await page.context().clearCookies();
		await signInAs(page, technician.login);
		const jobs: { id: string; jobNo: string; status: string }[] = await trpc(
			page.request,
			'query',
			'jobs.listMine',
			{ limit: 100 }
		);
		const open = jobs.find((job) => job.status === 'open' || job.status === 'in_progress');
		if (open) return { login: technician.login, job: open };
	}
	throw new Error('no demo technician has an open job');
}

test('a photo sent in pieces, cut and resumed, is served privately and shown to the supervisor', async ({
	page,
	browser
}) => {
	// Three people sign in: slower than one.
	test.slow();
	const { login, job } = await technicianWithOpenJob(page);
	const bytes = jpegBytes(2 * CHUNK + 5000);
	const thumbnail = jpegBytes(900);
	const id = randomUUID();
	expect(
		await trpc(page.request, 'mutation', 'files.describe', {
			id,
			jobId: job.id,
			kind: 'before',
			contentType: 'image/jpeg',
			byteSize: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			width: 1600,
			height: 1200,
			takenAt: new Date().toISOString(),
			thumbnail: thumbnail.toString('base64')
		})
	).toEqual({ id, receivedBytes: 0, byteSize: bytes.length, stored: false });

	// The first piece arrives; the second is "lost"; the third is out of order.
	expect((await putPiece(page.request, id, 0, bytes.subarray(0, CHUNK))).status()).toBe(200);
	const outOfOrder = await putPiece(page.request, id, 2 * CHUNK, bytes.subarray(2 * CHUNK));
	expect(outOfOrder.status()).toBe(409);
	expect(await outOfOrder.json()).toEqual({
		message: `服务器已收到此文件的 ${CHUNK} 字节；请从那里继续上传。`,
		progress: { id, receivedBytes: CHUNK, byteSize: bytes.length, stored: false }
	});
	expect(await trpc(page.request, 'query', 'files.progress', { ids: [id] })).toEqual([
		{ id, receivedBytes: CHUNK, byteSize: bytes.length, stored: false }
	]);
	// Not whole yet: the file is not served, its thumbnail is.
	expect((await page.request.get(`/api/files/${id}`)).status()).toBe(404);
	expect((await page.request.get(`/api/files/${id}/thumbnail`)).status()).toBe(200);
	expect((await putPiece(page.request, id, CHUNK, bytes.subarray(CHUNK, 2 * CHUNK))).status()).toBe(
		200
	);
	const last = await putPiece(page.request, id, 2 * CHUNK, bytes.subarray(2 * CHUNK));
	expect(await last.json()).toEqual({
		id,
		receivedBytes: bytes.length,
		byteSize: bytes.length,
		stored: true
	});

	const served = await page.request.get(`/api/files/${id}`);
	expect(served.status()).toBe(200);
	expect(Buffer.from(await served.body()).equals(bytes)).toBe(true);
	const headers = served.headers();
	expect(headers['content-type']).toBe('image/jpeg');
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['cache-control']).toMatch(/^private, max-age=\d+/);
	expect(headers['content-disposition']).toBe('inline');
	expect(headers['content-security-policy']).toContain("default-src 'none'");
	// Already compressed: sent as it is, whatever compression the browser accepts.
	const asked = await page.request.get(`/api/files/${id}`, {
		headers: { 'accept-encoding': 'gzip, br' }
	});
	expect(asked.headers()['content-encoding']).toBeUndefined();

	// Another technician of the station: the file is not found, to read or to write.
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	const otherTechnician = demoTechnicians.find((technician) => technician.login !== login);
	if (!otherTechnician) throw new Error('the demo has one technician');
	await signInAs(otherPage, otherTechnician.login);
	expect((await otherPage.request.get(`/api/files/${id}`)).status()).toBe(404);
	expect((await otherPage.request.get(`/api/files/${id}/thumbnail`)).status()).toBe(404);
	expect((await putPiece(otherPage.request, id, 0, bytes.subarray(0, 10))).status()).toBe(404);
	await other.close();

	// The supervisor's job page: the thumbnail named by kind, the whole photo on a tap.
	const boss = await browser.newContext();
	const bossPage = await boss.newPage();
	await signInAs(bossPage, 'supervisor');
	await bossPage.goto(`/supervisor/jobs/${job.id}`);
	const photos = bossPage.getByRole('region', { name: '照片与签名' });
	const thumb = photos.getByRole('img', { name: /^维修前，拍摄于/ });
	await expect(thumb).toBeVisible();
	await photos.getByRole('link', { name: /^查看原图：维修前/ }).click();
	const dialog = bossPage.getByRole('dialog');
	await expect(dialog.getByRole('img', { name: /^维修前，拍摄于/ })).toHaveAttribute(
		'src',
		`/api/files/${id}`
	);
	await dialog.getByRole('button', { name: '关闭' }).click();
	await expect(dialog).toBeHidden();
	await boss.close();
});

test('pieces: 413 past the piece size, 415 for other types, 400 for a bad offset, in the user’s language', async ({
	page
}) => {
	await signInAs(page, demoTechnicians[0].login);
	await page.context().addCookies([{ ...ENGLISH, url: page.url() }]);
	const id = randomUUID();
	const tooLarge = await putPiece(page.request, id, 0, jpegBytes(CHUNK + 1));
	expect(tooLarge.status()).toBe(413);
	expect(await tooLarge.json()).toEqual({
		message: 'This request is too large: the limit here is 256 KB.'
	});

	const html = await page.request.put(`/api/files/${id}?offset=0`, {
		data: '<!doctype html><script>alert(1)</script>',
		headers: { 'content-type': 'text/html' }
	});
	expect(html.status()).toBe(415);
	expect(await html.json()).toEqual({
		message: 'A file piece must be sent as application/octet-stream.'
	});

	const badOffset = await putPiece(page.request, id, -1, jpegBytes(10));
	expect(badOffset.status()).toBe(400);
	expect(await badOffset.json()).toEqual({
		message: 'offset must be a whole number of bytes, 0 or more.'
	});

	// An id nobody described, and a file of no job this user reads: not found.
	expect((await putPiece(page.request, id, 0, jpegBytes(10))).status()).toBe(404);
	expect((await page.request.get(`/api/files/${id}`)).status()).toBe(404);
	expect((await page.request.get('/api/files/not-an-id/thumbnail')).status()).toBe(404);
});
