/**
 * One technician, two phones, the same job edited on both while offline: once both have synced,
 * both show exactly what the server holds. The same field changed on both keeps the value that
 * reached the server last; part lines added on both are all kept.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	addPart,
	createJob,
	expectPending,
	expectSynced,
	serverJob,
	signInTechnician,
	supervisorSession
} from './tech-helpers';

async function jobAsShown(page: Page) {
	return {
		times: await page.getByRole('region', { name: '时间记录' }).locator('dl').innerText(),
		parts: await page.getByRole('list', { name: '使用的配件' }).innerText(),
		status: await page.getByText(/^状态：/).innerText()
	};
}

/**
 * A typed arrival the phones accept (steps keep their order): after the job's report, a minute
 * or two from now, within the server's clock tolerance; as the station's (Asia/Shanghai) input.
 */
const typedArrival = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
const typedInput = new Date(typedArrival.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

async function syncNow(page: Page) {
	await page.getByRole('button', { name: '立即同步' }).click();
	await expectSynced(page);
}

test('two devices editing the same job offline converge on what the server holds', async ({
	browser,
	baseURL,
	playwright
}) => {
	const phone = playwright.devices['Pixel 7'];
	const options = { ...phone, viewport: { width: 360, height: 780 }, baseURL };
	const first = await browser.newContext(options);
	const second = await browser.newContext(options);
	const a = await first.newPage();
	const b = await second.newPage();

	await signInTechnician(a, 'liuyang');
	const job = await createJob(a, { customer: '两台手机的客户', model: 'BCD-450WDPZ' });
	await expectSynced(a);

	await signInTechnician(b, 'liuyang');
	await b.getByRole('link', { name: new RegExp(job.jobNo) }).click();
	await expect(b.getByRole('heading', { level: 1 })).toContainText(job.jobNo);

	await first.setOffline(true);
	await second.setOffline(true);
	// Phone A: arrived, and a part. Phone B: corrects the arrival time, and another part.
	await a.getByRole('button', { name: '已到达' }).click();
	await addPart(a, '电容', '1');
	await b.getByRole('button', { name: '修改时间' }).click();
	await b.getByLabel('到达时间').fill(typedInput);
	await b.getByLabel('修改原因').fill('到达时忘记点');
	await b.getByRole('button', { name: '保存时间' }).click();
	await expect(b.getByText('时间已修改。')).toBeVisible();
	await addPart(b, '电容', '3');
	await expectPending(a, 2);
	await expectPending(b, 2);

	// B reaches the server first, then A: A's arrival arrives last and wins.
	await second.setOffline(false);
	await syncNow(b);
	await first.setOffline(false);
	await syncNow(a);
	await syncNow(b);

	const onA = await jobAsShown(a);
	const onB = await jobAsShown(b);
	expect(onB).toEqual(onA);
	await expect(a.getByRole('list', { name: '使用的配件' }).getByRole('listitem')).toHaveCount(2);

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const onServer = await serverJob(supervisor.request, job.id);
	expect(onServer?.parts.map((line) => line.qty).sort()).toEqual(['1.000', '3.000']);
	expect(onServer?.job.arrivedAt?.getTime()).not.toBe(typedArrival.getTime());
	await supervisor.context.close();
	await first.close();
	await second.close();
});
