/**
 * A new deployment's service worker waits for the user: the prompt offers a reload, nothing
 * reloads by itself, and reloading switches to the new version.
 *
 * A new deployment is simulated with a small proxy in front of the test server: from the
 * moment the test says so, it serves the built sw.js with one extra line. The browser sees a
 * changed script, as after a real deployment, and goes through its real update path; the app's
 * code is not stubbed. (Playwright's routing does not see the browser's service worker update
 * checks, hence the proxy.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { SERVICE_WORKER_PATH, expectServiceWorkerControl } from './helpers/pwa';
import { DEMO_PASSWORD } from './helpers/demo';
import { createJob, expectAllSynced, expectPending } from './tech-helpers';

const NEXT_DEPLOYMENT = '\n// next deployment\n';

/** Forwards everything to the test server; once `deploy()` is called, sw.js is the new one. */
async function startDeploymentProxy(upstream: URL) {
	let deployed = false;
	const server = http.createServer((request, response) => {
		const isServiceWorker = request.url?.split('?')[0] === SERVICE_WORKER_PATH;
		const changeBody = deployed && isServiceWorker;
		const headers = { ...request.headers };
		// Plain text, so the extra line can be appended.
		if (changeBody) delete headers['accept-encoding'];
		const forwarded = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: request.method,
				path: request.url,
				headers
			},
			(upstreamResponse) => {
				if (!changeBody) {
					response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
					upstreamResponse.pipe(response);
					return;
				}
				const chunks: Buffer[] = [];
				upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
				upstreamResponse.on('end', () => {
					const body = Buffer.concat([...chunks, Buffer.from(NEXT_DEPLOYMENT)]);
					const { etag: _etag, 'last-modified': _modified, ...rest } = upstreamResponse.headers;
					response.writeHead(upstreamResponse.statusCode ?? 502, {
						...rest,
						'content-length': String(body.length)
					});
					response.end(body);
				});
			}
		);
		forwarded.on('error', () => response.destroy());
		request.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		deploy: () => {
			deployed = true;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function registrationState(page: Page) {
	return page.evaluate(async () => {
		const registration = await navigator.serviceWorker.getRegistration();
		return {
			waiting: registration?.waiting?.state ?? null,
			controlledByActive:
				!!registration?.active && navigator.serviceWorker.controller === registration.active
		};
	});
}

test('a new version shows the reload prompt and takes over only when the user reloads', async ({
	page,
	baseURL
}) => {
	const proxy = await startDeploymentProxy(new URL(baseURL ?? ''));
	try {
		await page.goto(`${proxy.origin}/login`);
		await expectServiceWorkerControl(page);
		const prompt = page.getByRole('complementary', { name: 'RepairScore 维修绩效有新版本可用。' });
		await expect(prompt).toBeHidden();

		proxy.deploy();
		// What the browser does by itself on navigations, and the app every hour.
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

		await expect(prompt).toBeVisible();
		// "Later" hides it, at once, even though Workbox announces the same version twice, 200 ms
		// apart (the race this click is in).
		await prompt.getByRole('button', { name: '稍后' }).click();
		await page.getByLabel('账号').fill('zhangwei');
		await expect
			.poll(() => registrationState(page))
			.toEqual({ waiting: 'installed', controlledByActive: true });
		await page.waitForTimeout(500);
		await expect(prompt).toBeHidden();
		// The new version waits and the page has not reloaded by itself: the typing is still there.
		expect(await registrationState(page)).toEqual({
			waiting: 'installed',
			controlledByActive: true
		});
		await expect(page.getByLabel('账号')).toHaveValue('zhangwei');

		// The next page load asks again, as the new version still waits.
		await page.reload();
		await expect(prompt).toBeVisible();

		const reloaded = page.waitForEvent('load');
		await prompt.getByRole('button', { name: '立即重新加载' }).click();
		await reloaded;
		await expect(prompt).toBeHidden();
		// The version that waited is the one in control now; nothing waits any more.
		await expect
			.poll(() => registrationState(page))
			.toEqual({ waiting: null, controlledByActive: true });
	} finally {
		await proxy.close();
	}
});

test('when another tab lets the new version in, this tab keeps what is typed and asks first', async ({
	context,
	baseURL
}) => {
	const proxy = await startDeploymentProxy(new URL(baseURL ?? ''));
	try {
		const [reloading, typing] = [await context.newPage(), await context.newPage()];
		for (const page of [reloading, typing]) {
			await page.goto(`${proxy.origin}/login`);
			await expectServiceWorkerControl(page);
		}
		const promptIn = (page: Page) =>
			page.getByRole('complementary', { name: 'RepairScore 维修绩效有新版本可用。' });

		proxy.deploy();
		await reloading.evaluate(async () =>
			(await navigator.serviceWorker.getRegistration())?.update()
		);
		await expect(promptIn(reloading)).toBeVisible();
		await expect(promptIn(typing)).toBeVisible();
		await typing.getByLabel('账号').fill('lina');

		const reloaded = reloading.waitForEvent('load');
		await promptIn(reloading).getByRole('button', { name: '立即重新加载' }).click();
		await reloaded;
		await expect(promptIn(reloading)).toBeHidden();

		// The other tab is now controlled by the new version but was not reloaded under its user.
		await expect
			.poll(() => registrationState(typing))
			.toEqual({ waiting: null, controlledByActive: true });
		await expect(typing.getByLabel('账号')).toHaveValue('lina');
		await expect(promptIn(typing)).toBeVisible();

		const typingReloaded = typing.waitForEvent('load');
		await promptIn(typing).getByRole('button', { name: '立即重新加载' }).click();
		await typingReloaded;
		await expect(promptIn(typing)).toBeHidden();
		await expect(typing.getByLabel('账号')).toHaveValue('');
	} finally {
		await proxy.close();
	}
});

test('reloading onto a new version keeps the changes still waiting to be sent', async ({
	page,
	baseURL
}) => {
	const proxy = await startDeploymentProxy(new URL(baseURL ?? ''));
	try {
		await page.goto(`${proxy.origin}/login`);
		await expectServiceWorkerControl(page);
		await page.getByLabel('账号').fill('liuyang');
		await page.getByLabel('密码').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(`${proxy.origin}/tech`);
		await expectAllSynced(page);

		// The server cannot be reached for sync: the new job waits on the device.
		await page.route('**/api/trpc/sync.push**', (route) => route.abort('connectionrefused'));
		const job = await createJob(page, { customer: '升级前未同步的客户' });
		await expectPending(page, 1);

		proxy.deploy();
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		const prompt = page.getByRole('complementary', { name: 'RepairScore 维修绩效有新版本可用。' });
		const reloaded = page.waitForEvent('load');
		await prompt.getByRole('button', { name: '立即重新加载' }).click();
		await reloaded;
		await expect(prompt).toBeHidden();

		await expectPending(page, 1);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(job.jobNo);
		await page.unrouteAll();
		await page.getByRole('button', { name: '立即同步' }).click();
		await expectAllSynced(page);
	} finally {
		await proxy.close();
	}
});
