import { describe, expect, it } from 'vitest';
import {
	bodyLimitFor,
	discardBody,
	drainAllowance,
	formatByteSize,
	importBodyLimit,
	limitedStream,
	parseByteSize,
	SMALL_BODY_LIMIT,
	SYNC_PUSH_BODY_LIMIT
} from './body-limits';
import { IMPORT_UPLOAD_PATH } from '../../shared/import-upload';
import { PUSH_BATCH_LIMIT } from '../../shared/sync';
import { JOB_FILE_CHUNK_BYTES, JOB_FILE_THUMBNAIL_MAX_BYTES } from '../../shared/evidence-domain';
import superjson from 'superjson';

describe('bodyLimitFor', () => {
	it('gives megabytes only to a supervisor or admin uploading an import', () => {
		expect(bodyLimitFor('/supervisor/import', 'supervisor')).toBe(importBodyLimit);
		expect(bodyLimitFor('/supervisor/import', 'admin')).toBe(importBodyLimit);
		expect(bodyLimitFor('/supervisor/import', 'technician')).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor('/supervisor/import', null)).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor(IMPORT_UPLOAD_PATH, 'supervisor')).toBe(importBodyLimit);
		expect(bodyLimitFor(IMPORT_UPLOAD_PATH, 'admin')).toBe(importBodyLimit);
		expect(bodyLimitFor(IMPORT_UPLOAD_PATH, 'dispatcher')).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor(IMPORT_UPLOAD_PATH, 'region_manager')).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor('/supervisor/settings', 'admin')).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor('/login', null)).toBe(SMALL_BODY_LIMIT);
	});

	it('bounds a sync push by its batch size, every other tRPC call small', () => {
		expect(SYNC_PUSH_BODY_LIMIT).toBe(PUSH_BATCH_LIMIT * 32 * 1024);
		expect(bodyLimitFor('/api/trpc/sync.push', 'technician')).toBe(SYNC_PUSH_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/sync.pull,sync.push', 'technician')).toBe(SYNC_PUSH_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/sync.pull', 'technician')).toBe(SMALL_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/settings.save', 'admin')).toBe(SMALL_BODY_LIMIT);
	});

	it("fits a file's description with the largest thumbnail, and one piece of a file", () => {
		const largest = {
			id: crypto.randomUUID(),
			jobId: crypto.randomUUID(),
			kind: 'other',
			contentType: 'image/webp',
			byteSize: 5 * 1024 * 1024,
			sha256: 'f'.repeat(64),
			width: 20_000,
			height: 20_000,
			takenAt: new Date(),
			thumbnail: Buffer.alloc(JOB_FILE_THUMBNAIL_MAX_BYTES).toString('base64')
		};
		const one = JSON.stringify({ 0: superjson.serialize(largest) });
		const two = JSON.stringify({
			0: superjson.serialize(largest),
			1: superjson.serialize(largest)
		});
		expect(one.length).toBeLessThanOrEqual(bodyLimitFor('/api/trpc/files.describe', 'technician'));
		expect(two.length).toBeLessThanOrEqual(
			bodyLimitFor('/api/trpc/files.describe,files.describe', 'technician')
		);
		expect(bodyLimitFor(`/api/files/${largest.id}`, 'technician')).toBe(JOB_FILE_CHUNK_BYTES);
		expect(bodyLimitFor(`/api/files/${largest.id}/thumbnail`, 'technician')).toBe(SMALL_BODY_LIMIT);
	});
});

describe('parseByteSize and formatByteSize', () => {
	it('read BODY_SIZE_LIMIT as adapter-node does and say a limit as a person reads it', () => {
		expect(parseByteSize('20M', 1)).toBe(20 * 1024 * 1024);
		expect(parseByteSize('512K', 1)).toBe(512 * 1024);
		expect(parseByteSize('1000', 1)).toBe(1000);
		expect(parseByteSize(undefined, 7)).toBe(7);
		expect(() => parseByteSize('lots', 1)).toThrow(/BODY_SIZE_LIMIT/);
		expect(formatByteSize(20 * 1024 * 1024)).toBe('20 MB');
		expect(formatByteSize(SMALL_BODY_LIMIT)).toBe('64 KB');
		expect(formatByteSize(SYNC_PUSH_BODY_LIMIT)).toBe('6.3 MB');
	});
});

function chunkedBody(chunks: number, size: number) {
	let sent = 0;
	let cancelled = false;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent === chunks) return controller.close();
			sent += 1;
			controller.enqueue(new Uint8Array(size));
		},
		cancel() {
			cancelled = true;
		}
	});
	return { stream, sent: () => sent, cancelled: () => cancelled };
}

describe('limitedStream', () => {
	it('passes a body within the limit through whole', async () => {
		const source = chunkedBody(4, 1000);
		let exceeded = false;
		const body = await new Response(
			limitedStream(source.stream, 4000, () => (exceeded = true))
		).arrayBuffer();
		expect(body.byteLength).toBe(4000);
		expect(exceeded).toBe(false);
	});

	it('stops reading at the first chunk over the limit, without cancelling the source', async () => {
		const source = chunkedBody(1000, 1000);
		let exceeded = false;
		const reading = new Response(
			limitedStream(source.stream, 4500, () => (exceeded = true))
		).arrayBuffer();
		await expect(reading).rejects.toThrow();
		expect(exceeded).toBe(true);
		expect(source.sent()).toBeLessThanOrEqual(6);
		// Cancelling the Node adapter's stream destroys the socket the 413 must go out on.
		expect(source.cancelled()).toBe(false);
	});
});

describe('discardBody', () => {
	it('reads a refused body to its end within the allowance, so the answer reaches a browser', async () => {
		const source = chunkedBody(50, 1000);
		await discardBody(source.stream, 100_000);
		expect(source.sent()).toBe(50);
		expect(source.cancelled()).toBe(false);
	});

	it('gives up on a body far over the limit', async () => {
		const source = chunkedBody(10_000, 1000);
		await discardBody(source.stream, 20_000);
		expect(source.sent()).toBeLessThanOrEqual(22);
		expect(source.cancelled()).toBe(true);
		expect(drainAllowance(SMALL_BODY_LIMIT)).toBe(1024 * 1024);
		expect(drainAllowance(20 * 1024 * 1024)).toBe(40 * 1024 * 1024);
	});
});
