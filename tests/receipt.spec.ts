/**
 * The service receipt at the desk (issue 14): a technician's phone completes a job with a part
 * and the customer's signature (sent as the phone sends it, through the sync push); the desk
 * opens the job, sees the signature and opens its receipt: customer, parts with prices, the
 * signature; prints it to PDF and downloads the server's PDF, each read back.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import superjson from 'superjson';
import { extractText, getDocumentProxy } from 'unpdf';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, signInAs } from './helpers/demo';

test.use({ viewport: { width: 1280, height: 800 } });

async function pdfText(bytes: Uint8Array) {
	// A copy: pdf.js refuses a Buffer (a Uint8Array subclass).
	const document = await getDocumentProxy(new Uint8Array(bytes));
	const { totalPages, text } = await extractText(document, { mergePages: true });
	return { totalPages, text };
}

/** A tRPC call over HTTP as the app makes it (superjson), answering the result's data. */
async function trpc<T>(
	api: APIRequestContext,
	procedure: string,
	input: unknown,
	kind: 'query' | 'mutation'
): Promise<T> {
	const serialized = superjson.serialize(input);
	const response =
		kind === 'query'
			? await api.get(
					`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(serialized))}`
				)
			: await api.post(`/api/trpc/${procedure}`, { data: serialized });
	expect(response.ok(), await response.text()).toBe(true);
	const body = (await response.json()) as {
		result: { data: Parameters<typeof superjson.deserialize>[0] };
	};
	return superjson.deserialize<T>(body.result.data);
}

/**
 * 王强's phone, as it syncs: a new job, arrival, start, a part and the completion with the
 * customer's signature, in one push.
 */
async function signedJobFromThePhone(
	api: APIRequestContext,
	baseURL: string
): Promise<{ jobId: string; jobNo: string }> {
	const signIn = await api.post('/login', {
		form: { login: 'wangqiang', password: DEMO_PASSWORD },
		headers: { origin: baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(signIn.status()).toBe(303);
	const catalog = await trpc<Array<{ id: string; sku: string; unitCost: string }>>(
		api,
		'parts.catalog',
		{},
		'query'
	);
	const part = catalog[0];
	const jobId = randomUUID();
	const jobNo = `E2E-RCPT-${jobId.slice(0, 6).toUpperCase()}`;
	const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
	const steps: Array<[string, Record<string, unknown>]> = [
		[
			'job.create',
			{
				id: jobId,
				jobNo,
				reportedAt: minutesAgo(90),
				customerName: '签名测试客户',
				customerPhone: '13912345678',
				customerAddress: '南京市 中山路 8 号',
				productModel: 'KFR-26GW',
				deviceSerial: 'SN-RCPT-1',
				faultDescription: '不制热'
			}
		],
		['job.arrive', { jobId, at: minutesAgo(60) }],
		['job.start', { jobId, at: minutesAgo(55) }],
		['part.add', { id: randomUUID(), jobId, partId: part.id, qty: '2' }],
		[
			'job.complete',
			{
				jobId,
				at: minutesAgo(20),
				outcome: 'fixed',
				notes: '更换电容',
				signature: {
					signerName: '签名测试客户',
					signedAt: minutesAgo(21),
					strokes: [
						[100, 300, 250, 80, 400, 320, 600, 120],
						[700, 200]
					]
				}
			}
		]
	];
	const pushed = await trpc<{ results: Array<{ status: string }> }>(
		api,
		'sync.push',
		{
			clientId: randomUUID(),
			mutations: steps.map(([name, args], index) => ({
				id: index + 1,
				name,
				args,
				madeAt: new Date()
			}))
		},
		'mutation'
	);
	expect(pushed.results.map((result) => result.status)).toEqual(steps.map(() => 'applied'));
	return { jobId, jobNo };
}

test('the desk opens a signed job’s receipt, prints it and downloads its PDF', async ({
	page,
	playwright,
	baseURL
}) => {
	const phone = await playwright.request.newContext({ baseURL });
	const { jobId, jobNo } = await signedJobFromThePhone(phone, baseURL ?? '');
	await phone.dispose();

	await signInAs(page, 'desk');
	await page.goto(`/supervisor/jobs/${jobId}`);
	await expect(page.getByRole('heading', { level: 1, name: `工单 ${jobNo}` })).toBeVisible();

	// The job page shows the customer's signature, drawn, with the name and time.
	const signature = page.getByRole('region', { name: '客户签名' });
	await expect(signature.getByRole('img', { name: '签名测试客户 的签名' })).toBeVisible();
	await expect(
		signature.getByText(/^签名测试客户，签于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
	).toBeVisible();

	await page.getByRole('link', { name: '服务单' }).click();
	await expect(page).toHaveURL(`/supervisor/jobs/${jobId}/receipt`);
	const receipt = page.getByRole('article', { name: `服务单 ${jobNo}` });
	await expect(receipt).toBeVisible();
	const customer = receipt.getByRole('region', { name: '客户', exact: true });
	await expect(customer.getByText('签名测试客户')).toBeVisible();
	await expect(customer.getByText('13912345678')).toBeVisible();
	await expect(
		receipt.getByRole('region', { name: '设备', exact: true }).getByText('SN-RCPT-1')
	).toBeVisible();

	// Parts with their prices: two of the catalog's first part, and the total.
	const parts = receipt.getByRole('table', { name: `工单 ${jobNo} 的配件和价格` });
	const line = parts.locator('tbody tr');
	await expect(line).toHaveCount(1);
	const cells = await line.locator('td').allInnerTexts();
	const [unitPrice, lineTotal] = cells.slice(2).map((text) => Number(text.replace(/,/g, '')));
	expect(cells[1]).toMatch(/^2 /);
	expect(lineTotal).toBeCloseTo(unitPrice * 2, 2);
	await expect(parts.locator('tfoot td')).toHaveText(cells[3]);
	await expect(
		receipt
			.getByRole('region', { name: '客户签名' })
			.getByRole('img', { name: '签名测试客户 的签名' })
	).toBeVisible();

	// Printed to PDF by the browser: the receipt without the app's bar and buttons.
	const printed = await pdfText(await page.pdf({ format: 'A4' }));
	expect(printed.totalPages).toBeGreaterThanOrEqual(1);
	// Chromium prints Chinese in a font without a text map: the job, numbers and codes read back.
	const printedText = printed.text.replace(/\s+/g, ' ');
	for (const shown of [jobNo, '13912345678', 'SN-RCPT-1', cells[0], cells[2], cells[3]]) {
		expect(printedText).toContain(shown);
	}
	// The buttons ("下载 PDF") are not printed.
	expect(printedText).not.toContain('PDF');

	// The server's PDF: named by the job number, with the parts and the signature's line.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 PDF' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`${jobNo}.pdf`);
	const bytes = readFileSync((await download.path())!);
	expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
	const server = await pdfText(bytes);
	expect(server.totalPages).toBe(1);
	expect(server.text).toContain(`服务单 ${jobNo}`);
	expect(server.text).toContain('13912345678');
	expect(server.text).toContain(cells[3]);
	expect(server.text).toMatch(/签名测试客户，签于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

	// Send: where the browser cannot share a file (this Chromium), the PDF is downloaded instead.
	const [sent] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: '发送' }).click()
	]);
	expect(sent.suggestedFilename()).toBe(`${jobNo}.pdf`);
	await expect(page.getByRole('status')).toHaveText('这个浏览器不能直接发送文件，已改为下载 PDF。');

	// Nobody keeps it: not the browser's cache, not a proxy's.
	const direct = await page.request.get(`/supervisor/jobs/${jobId}/receipt.pdf`);
	expect(direct.headers()['cache-control']).toBe('private, no-store');
	expect(direct.headers()['content-disposition']).toContain(`filename="${jobNo}.pdf"`);
});
