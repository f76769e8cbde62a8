/**
 * A job's photos on the phone (issue 14 item 1): taken and picked offline, compressed on the
 * phone (EXIF orientation applied, EXIF and its location gone, longest side 1600 px), shown with
 * their upload state, sent once online in pieces, and resumed with no piece sent twice when the
 * connection is cut halfway. The images are drawn in the test's page with a canvas; the EXIF
 * segment (orientation and a GPS position) is written here byte by byte.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import superjson from 'superjson';
import { createJob, completeJob, signInTechnician, supervisorSession } from './tech-helpers';

const CHUNK = 256 * 1024;

/**
 * An EXIF APP1 segment: orientation 6 (the camera was turned: show rotated 90° clockwise) and
 * a GPS latitude, in little-endian TIFF.
 */
function exifSegment(): Buffer {
	const tiff = Buffer.alloc(92);
	tiff.write('II', 0, 'ascii');
	tiff.writeUInt16LE(42, 2);
	tiff.writeUInt32LE(8, 4);
	// IFD0 at 8: two entries, then no next IFD.
	tiff.writeUInt16LE(2, 8);
	tiff.writeUInt16LE(0x0112, 10); // Orientation, SHORT, 1: 6
	tiff.writeUInt16LE(3, 12);
	tiff.writeUInt32LE(1, 14);
	tiff.writeUInt16LE(6, 18);
	tiff.writeUInt16LE(0x8825, 22); // GPS IFD pointer, LONG, 1: 38
	tiff.writeUInt16LE(4, 24);
	tiff.writeUInt32LE(1, 26);
	tiff.writeUInt32LE(38, 30);
	tiff.writeUInt32LE(0, 34);
	// GPS IFD at 38: latitude reference and latitude (three rationals at 68).
	tiff.writeUInt16LE(2, 38);
	tiff.writeUInt16LE(0x0001, 40); // GPSLatitudeRef, ASCII, 2: "N\0"
	tiff.writeUInt16LE(2, 42);
	tiff.writeUInt32LE(2, 44);
	tiff.write('N\0', 48, 'ascii');
	tiff.writeUInt16LE(0x0002, 52); // GPSLatitude, RATIONAL, 3: at 68
	tiff.writeUInt16LE(5, 54);
	tiff.writeUInt32LE(3, 56);
	tiff.writeUInt32LE(68, 60);
	tiff.writeUInt32LE(0, 64);
	[31, 1, 14, 1, 0, 1].forEach((value, i) => tiff.writeUInt32LE(value, 68 + 4 * i));
	const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
	const header = Buffer.from([0xff, 0xe1, 0, 0]);
	header.writeUInt16BE(body.length + 2, 2);
	return Buffer.concat([header, body]);
}

/**
 * A JPEG drawn in the page: `split` is 400×200, red on the left and blue on the right; `noise`
 * is 2000×1500 of random pixels, which no quality makes small (several pieces).
 */
async function drawnJpeg(page: Page, picture: 'split' | 'noise'): Promise<Buffer> {
	const base64 = await page.evaluate(async (picture) => {
		const [width, height] = picture === 'split' ? [400, 200] : [2000, 1500];
		const canvas = new OffscreenCanvas(width, height);
		const context = canvas.getContext('2d')!;
		if (picture === 'split') {
			context.fillStyle = '#f00';
			context.fillRect(0, 0, 200, 200);
			context.fillStyle = '#00f';
			context.fillRect(200, 0, 200, 200);
		} else {
			const pixels = context.createImageData(width, height);
			for (let i = 0; i < pixels.data.length; i += 65536) {
				crypto.getRandomValues(pixels.data.subarray(i, i + 65536));
			}
			for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
			context.putImageData(pixels, 0, 0);
		}
		const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
		const bytes = new Uint8Array(await blob.arrayBuffer());
		let binary = '';
		for (const byte of bytes) binary += String.fromCharCode(byte);
		return btoa(binary);
	}, picture);
	return Buffer.from(base64, 'base64');
}

/** The JPEG with an EXIF segment right after its start marker. */
function withExif(jpeg: Buffer): Buffer {
	return Buffer.concat([jpeg.subarray(0, 2), exifSegment(), jpeg.subarray(2)]);
}

/** Width and height from a JPEG's frame header. */
function jpegSize(jpeg: Buffer) {
	for (let at = 2; at < jpeg.length;) {
		const marker = jpeg[at + 1];
		if (marker === 0xc0 || marker === 0xc2) {
			return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
		}
		at += 2 + jpeg.readUInt16BE(at + 2);
	}
	throw new Error('No frame header');
}

interface ServerFile {
	id: string;
	kind: string;
	byteSize: number;
	width: number | null;
	height: number | null;
	stored: boolean;
}

async function serverFiles(request: APIRequestContext, jobId: string): Promise<ServerFile[]> {
	const input = encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })));
	const answer = await request.get(`/api/trpc/files.ofJob?input=${input}`);
	expect(answer.status(), await answer.text()).toBe(200);
	return superjson.deserialize<ServerFile[]>((await answer.json()).result.data);
}

function photoList(page: Page) {
	return page.getByRole('list', { name: '照片' }).getByRole('listitem');
}

test('photos taken offline are compressed on the phone and uploaded once it is online', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'wangqiang');
	const turned = withExif(await drawnJpeg(page, 'split'));
	expect(turned.includes('Exif')).toBe(true);
	const plain = await drawnJpeg(page, 'split');
	await context.setOffline(true);

	const job = await createJob(page, { customer: '拍照的赵先生', fault: '外壳破损' });
	await page.getByLabel('照片类型').selectOption({ label: '维修前' });
	await page
		.getByLabel('拍照')
		.setInputFiles({ name: 'camera.jpg', mimeType: 'image/jpeg', buffer: turned });
	await expect(photoList(page)).toHaveCount(1);
	await page.getByLabel('照片类型').selectOption({ label: '维修后' });
	await page
		.getByLabel('从相册选择')
		.setInputFiles({ name: 'gallery.jpg', mimeType: 'image/jpeg', buffer: plain });
	await expect(photoList(page)).toHaveCount(2);
	await expect(photoList(page).filter({ hasText: '待上传' })).toHaveCount(2);
	await expect(photoList(page).nth(0)).toContainText('维修前');
	await expect(photoList(page).nth(1)).toContainText('维修后');
	await expect(page.getByText(/^此手机已存照片 [\d.]+ MB，可用 [\d.]+ MB$/)).toBeVisible();

	// Full size on a tap, offline: the phone's own copy.
	await photoList(page)
		.nth(0)
		.getByRole('button', { name: /^查看原图：维修前/ })
		.click();
	const full = page.getByRole('dialog', { name: '照片原图' });
	await expect(full.getByRole('img', { name: '维修前' })).toBeVisible();
	await full.getByRole('button', { name: '关闭' }).click();

	await completeJob(page, '已修复');
	await context.setOffline(false);
	await expect(photoList(page).filter({ hasText: '已上传' })).toHaveCount(2, { timeout: 30_000 });

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const files = await serverFiles(supervisor.request, job.id);
	expect(files.map((file) => [file.kind, file.stored])).toEqual([
		['before', true],
		['after', true]
	]);
	const before = await supervisor.request.get(`/api/files/${files[0].id}`);
	expect(before.status()).toBe(200);
	const bytes = await before.body();
	expect(bytes.length).toBe(files[0].byteSize);
	// The orientation applied (portrait now), EXIF and the position in it gone.
	expect(jpegSize(bytes)).toEqual({ width: 200, height: 400 });
	expect(files[0]).toMatchObject({ width: 200, height: 400 });
	expect(bytes.includes('Exif')).toBe(false);
	const colours = await page.evaluate(async (base64) => {
		const data = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
		const picture = await createImageBitmap(new Blob([data], { type: 'image/jpeg' }));
		const canvas = new OffscreenCanvas(picture.width, picture.height);
		const context = canvas.getContext('2d')!;
		context.drawImage(picture, 0, 0);
		const at = (x: number, y: number) => [...context.getImageData(x, y, 1, 1).data.slice(0, 3)];
		return { top: at(100, 100), bottom: at(100, 300) };
	}, bytes.toString('base64'));
	// Turned clockwise: the red left half is now on top.
	expect(colours.top[0]).toBeGreaterThan(200);
	expect(colours.top[2]).toBeLessThan(60);
	expect(colours.bottom[2]).toBeGreaterThan(200);
	expect(colours.bottom[0]).toBeLessThan(60);

	const after = await supervisor.request.get(`/api/files/${files[1].id}`);
	expect(jpegSize(await after.body())).toEqual({ width: 400, height: 200 });
	await supervisor.context.close();
});

test('an upload cut halfway resumes where the server got to, with no piece sent twice', async ({
	page,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'wangqiang');
	const busy = await drawnJpeg(page, 'noise');
	const job = await createJob(page, { customer: '断网的钱女士', fault: '屏幕花屏' });

	// The second piece reaches the server, and then the connection drops before its answer.
	const offsets: number[] = [];
	await page.route(
		(url) => url.pathname.startsWith('/api/files/') && url.searchParams.has('offset'),
		async (route) => {
			const offset = Number(new URL(route.request().url()).searchParams.get('offset'));
			offsets.push(offset);
			if (offsets.length !== 2) return route.continue();
			await route.fetch();
			await route.abort('connectionreset');
		}
	);
	await page.getByLabel('照片类型').selectOption({ label: '配件' });
	await page
		.getByLabel('拍照')
		.setInputFiles({ name: 'busy.jpg', mimeType: 'image/jpeg', buffer: busy });
	await expect(photoList(page)).toHaveCount(1);
	await expect(photoList(page).filter({ hasText: '已上传' })).toHaveCount(1, { timeout: 30_000 });

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const [file] = await serverFiles(supervisor.request, job.id);
	expect(file).toMatchObject({ kind: 'part', stored: true, width: 1600, height: 1200 });
	const pieces = Math.ceil(file.byteSize / CHUNK);
	expect(pieces).toBeGreaterThanOrEqual(2);
	// Each piece once, in order: the one whose answer was lost was not sent again.
	expect(offsets).toEqual(Array.from({ length: pieces }, (_, i) => i * CHUNK));
	const stored = await supervisor.request.get(`/api/files/${file.id}`);
	expect((await stored.body()).length).toBe(file.byteSize);
	await supervisor.context.close();
});
