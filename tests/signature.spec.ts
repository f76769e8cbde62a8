/**
 * The customer's signature at completion (issue 14 item 2), on the phone: with no signal a
 * technician completes a job with the customer's signature drawn on the pad and their name
 * typed beside it, and shows the service receipt (服务单) with it, offline. Online again the
 * completion arrives with its signature exactly once, also when the phone sends the same outbox
 * twice, and the supervisor sees it on the job page. A station that requires a signature: the phone does not let a job complete without one.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import superjson from 'superjson';
import {
	addPart,
	createJob,
	expectAllSynced,
	expectPending,
	serverJob,
	signInTechnician,
	signOnPad,
	supervisorSession,
	syncBar
} from './tech-helpers';

/** Sets the station's "completion requires the customer's signature" as a supervisor would. */
async function requireSignature(browser: Browser, baseURL: string, on: boolean) {
	const { context } = await supervisorSession(browser, baseURL);
	const page = await context.newPage();
	await page.goto('/supervisor/settings');
	const section = page.getByRole('region', { name: '客户签名' });
	await section.getByRole('checkbox', { name: '完工须客户签名' }).setChecked(on);
	await section.getByRole('button', { name: '保存' }).click();
	await expect(section.getByRole('status')).toHaveText(/已保存|没有变化/);
	await context.close();
}

/** Taps arrived and start, then opens the completion form with an outcome chosen. */
async function openCompletion(page: Page) {
	for (const step of ['已到达', '开始维修']) {
		const button = page.getByRole('button', { name: step });
		await button.click();
		await expect(button).toHaveCount(0);
	}
	await page.getByRole('button', { name: '完成工单' }).click();
	await page.getByRole('radio', { name: '已修复' }).check();
}

/** The phone's unsent changes and client id, read from its device store as the sync sends them. */
async function readOutbox(page: Page) {
	return page.evaluate(async () => {
		const name = (await indexedDB.databases())
			.map((database) => database.name ?? '')
			.find((name) => name.startsWith('repairscore-user-'));
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name!);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const all = <T>(store: string) =>
			new Promise<T[]>((resolve, reject) => {
				const request = db.transaction(store).objectStore(store).getAll();
				request.onsuccess = () => resolve(request.result as T[]);
				request.onerror = () => reject(request.error);
			});
		const [outbox, meta] = await Promise.all([
			all<{ id: number; name: string; args: unknown; madeAt: Date }>('outbox'),
			all<{ key: string; value: unknown }>('meta')
		]);
		db.close();
		return {
			clientId: String(meta.find((row) => row.key === 'clientId')?.value),
			mutations: outbox.map(({ id, name, args, madeAt }) => ({ id, name, args, madeAt }))
		};
	});
}

test('a job completed offline with the customer’s signature shows it on the receipt and syncs it once', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'wangqiang');
	await context.setOffline(true);
	await expect(syncBar(page).getByText('离线')).toBeVisible();

	const job = await createJob(page, {
		customer: '签名的赵先生',
		phone: '13900000009',
		model: 'KFR-72LW',
		fault: '噪音大'
	});
	await addPart(page, '电容', '2');
	await openCompletion(page);
	await page.getByLabel('维修说明（可选）').fill('紧固风扇');
	// Optional here: the pad opens when the technician asks for it.
	await page.getByRole('button', { name: '请客户签名' }).click();
	await signOnPad(page);
	// A drawing without a name is not a signature.
	await page.getByRole('button', { name: '确认完成' }).click();
	await expect(page.getByText('请填写签名人姓名')).toBeVisible();
	await page.getByLabel('签名人姓名').fill('赵先生');
	await page.getByRole('button', { name: '确认完成' }).click();
	await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);
	await expectPending(page, 5);

	// The receipt, offline, from the device alone.
	await page.getByRole('link', { name: '查看服务单' }).click();
	const receipt = page.getByRole('article', { name: '服务单' });
	await expect(receipt).toContainText(job.jobNo);
	await expect(receipt).toContainText('签名的赵先生');
	await expect(receipt).toContainText('KFR-72LW');
	await expect(receipt).toContainText('噪音大');
	await expect(receipt).toContainText('紧固风扇');
	const parts = receipt.getByRole('table', { name: '使用的配件' });
	await expect(parts.getByRole('row')).toHaveCount(3);
	await expect(parts.getByRole('row').nth(1)).toContainText('2 个');
	const signature = receipt.getByRole('img', { name: '赵先生 的签名' });
	await expect(signature).toBeVisible();
	await expect(signature.locator('path')).toHaveAttribute(
		'd',
		/^M\d+ \d+(L\d+ \d+)+M\d+ \d+(L\d+ \d+)+$/
	);
	await expect(receipt).toContainText(/赵先生，签于 /);

	const sent = await readOutbox(page);
	const completion = sent.mutations.find((entry) => entry.name === 'job.complete');
	expect(completion?.args).toMatchObject({ signature: { signerName: '赵先生' } });

	// Online again: everything arrives.
	await context.setOffline(false);
	await expectAllSynced(page, 30_000);
	// The pull that confirmed the completion leaves the phone's copy of the signature in place.
	await expect(signature).toBeVisible();
	await expect(receipt).toContainText(/赵先生，签于 /);

	// The same outbox sent again, as a phone does when an answer was lost: nothing applies twice.
	const replay = await context.request.post('/api/trpc/sync.push', {
		data: superjson.serialize(sent)
	});
	expect(replay.ok()).toBe(true);
	const replayed = (await replay.json()) as {
		result: { data: { json: { results: Array<{ id: number; status: string }> } } };
	};
	expect(replayed.result.data.json.results.map((result) => result.status)).toEqual(
		sent.mutations.map(() => 'duplicate')
	);
	const supervisor = await supervisorSession(browser, baseURL!);
	expect((await serverJob(supervisor.request, job.id))?.job).toMatchObject({
		status: 'completed',
		notes: '紧固风扇'
	});
	// The supervisor sees the one signature on the job page.
	const jobPage = await supervisor.context.newPage();
	await jobPage.goto(`/supervisor/jobs/${job.id}`);
	const signed = jobPage.getByRole('region', { name: '客户签名' });
	await expect(signed.getByRole('img')).toHaveCount(1);
	await expect(signed).toContainText(/赵先生，签于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
	await supervisor.context.close();
});

test.describe('a station whose completion requires the customer’s signature', () => {
	test.beforeAll(async ({ browser, baseURL }) => {
		await requireSignature(browser, baseURL!, true);
	});

	// Later specs complete jobs without a signature: the demo station is left as it was.
	test.afterAll(async ({ browser, baseURL }) => {
		await requireSignature(browser, baseURL!, false);
	});

	test('the phone completes a job only with a drawing and a name, and the server takes it', async ({
		page,
		browser,
		baseURL
	}) => {
		await signInTechnician(page, 'liuyang');
		const job = await createJob(page, { customer: '必须签名的孙女士' });
		await openCompletion(page);
		// The pad is open at once, with no way around it, and says why confirming waits.
		await expect(page.getByText('本站要求客户签名并填写姓名后才能完成工单。')).toBeVisible();
		await expect(page.getByRole('button', { name: '不签名' })).toHaveCount(0);
		const confirm = page.getByRole('button', { name: '确认完成' });
		await expect(confirm).toBeDisabled();
		await page.getByLabel('签名人姓名').fill('孙女士');
		await expect(confirm).toBeDisabled();
		await page.getByLabel('签名人姓名').fill('');
		await signOnPad(page);
		await expect(confirm).toBeDisabled();
		await page.getByLabel('签名人姓名').fill('孙女士');
		await expect(confirm).toBeEnabled();
		await confirm.click();
		await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);
		await expectAllSynced(page);
		await expect(syncBar(page).getByRole('link', { name: /被服务器拒绝/ })).toHaveCount(0);

		// The server completes a technician's job at this station only with its signature kept.
		const supervisor = await supervisorSession(browser, baseURL!);
		expect((await serverJob(supervisor.request, job.id))?.job.status).toBe('completed');
		await supervisor.context.close();
	});
});
