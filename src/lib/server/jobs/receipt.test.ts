/**
 * The service receipt (issue 14): one read of a job's customer, device, work, priced parts,
 * times in the station's zone and the customer's signature, through the API; who may read it
 * (the job's technician, the station's desk and supervisors; another technician and another
 * station NOT_FOUND); and its PDF, read back with pdf.js. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobParts, jobSignatures } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser
} from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import type { ServiceReceipt } from '../../shared/service-receipt';
import { receiptPdf } from './receipt-pdf';

const createCaller = createCallerFactory(appRouter);

/** Every stream of a PDF, inflated where compressed, as text (pdf.js's operator list needs Node 22). */
function pageContents(pdf: Buffer): string {
	const text = pdf.toString('latin1');
	return [...text.matchAll(/>>\s*stream\r?\n/g)]
		.map((found) => {
			const start = found.index + found[0].length;
			const bytes = pdf.subarray(start, text.indexOf('endstream', start));
			try {
				return inflateSync(bytes).toString('latin1');
			} catch {
				return bytes.toString('latin1');
			}
		})
		.join('\n');
}
const STROKES = [
	[100, 300, 200, 100, 300, 300],
	[500, 200]
];

for (const engine of testEngines()) {
	describe(`the service receipt on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let ana: SessionUser;
		let bob: SessionUser;
		let desk: SessionUser;
		let boss: SessionUser;
		let stranger: SessionUser;
		let signedJobId: string;
		let bareJobId: string;

		const receiptFor = (user: SessionUser, jobId: string) =>
			createCaller({ db: handle.db, user }).jobs.receipt({ jobId });

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			// Shanghai is UTC+8 all year: 01:00Z reads 09:00 there.
			const station = await createStation(db, 'RCPT', 'Asia/Shanghai');
			ana = await createUser(db, station, 'ana');
			bob = await createUser(db, station, 'bob');
			desk = await createUser(db, station, 'desk', 'dispatcher');
			boss = await createUser(db, station, 'boss', 'supervisor');
			const elsewhere = await createStation(db, 'ELSEWHERE', 'Asia/Shanghai');
			stranger = await createUser(db, elsewhere, 'boss', 'supervisor');

			const category = await createCategory(db, station.id, '不制冷');
			const compressor = await createPart(db, station.id, 'CMP-1', '12.50');
			const gas = await createPart(db, station.id, 'R32', '3.33');
			const signed = await createJob(db, ana, {
				jobNo: 'D260302-007',
				customerName: '王女士',
				customerPhone: '13800000000',
				customerAddress: '上海市 长宁路 1 号',
				productModel: 'KFR-35GW',
				deviceSerial: 'SN-42',
				faultCategoryId: category.id,
				faultDescription: '开机不制冷',
				notes: '更换压缩机，加氟',
				reportedAt: new Date('2026-03-02T01:00:00Z'),
				arrivedAt: new Date('2026-03-02T02:05:00Z'),
				startedAt: new Date('2026-03-02T02:10:00Z'),
				completedAt: new Date('2026-03-02T15:30:00Z'),
				status: 'completed',
				outcome: 'fixed'
			});
			signedJobId = signed.id;
			await db.insert(jobParts).values([
				{
					stationId: station.id,
					id: randomUUID(),
					jobId: signed.id,
					partId: compressor.id,
					qty: '2',
					unitCost: '12.50'
				},
				// 1.5 × 3.33 = 4.995: rounded to the cent, as money is, not truncated.
				{
					stationId: station.id,
					id: randomUUID(),
					jobId: signed.id,
					partId: gas.id,
					qty: '1.5',
					unitCost: '3.33'
				}
			]);
			await db.insert(jobSignatures).values({
				stationId: station.id,
				jobId: signed.id,
				signerName: '王芳',
				signedAt: new Date('2026-03-02T15:29:00Z'),
				strokes: STROKES,
				recordedBy: ana.id
			});
			bareJobId = (await createJob(db, ana, { jobNo: 'D260302-008' })).id;
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('reads the job, the customer, priced parts, local times and the signature', async () => {
			const receipt = await receiptFor(ana, signedJobId);
			expect(receipt).toEqual({
				jobId: signedJobId,
				jobNo: 'D260302-007',
				station: { name: 'RCPT 服务站', timeZone: 'Asia/Shanghai' },
				status: 'completed',
				outcome: 'fixed',
				customer: { name: '王女士', phone: '13800000000', address: '上海市 长宁路 1 号' },
				device: { model: 'KFR-35GW', serial: 'SN-42' },
				fault: { category: '不制冷', description: '开机不制冷' },
				notes: '更换压缩机，加氟',
				technicianName: 'ana 名字',
				times: {
					reported: '2026-03-02 09:00',
					arrived: '2026-03-02 10:05',
					started: '2026-03-02 10:10',
					// 15:30Z is past midnight in Shanghai: the next day there.
					completed: '2026-03-02 23:30'
				},
				parts: [
					{
						name: 'CMP-1',
						sku: 'CMP-1',
						unit: '个',
						qty: '2',
						unitPrice: '12.50',
						lineTotal: '25.00'
					},
					{ name: 'R32', sku: 'R32', unit: '个', qty: '1.5', unitPrice: '3.33', lineTotal: '5.00' }
				],
				partsTotal: '30.00',
				signature: {
					signerName: '王芳',
					signedAt: new Date('2026-03-02T15:29:00Z'),
					signedAtClock: '2026-03-02 23:29',
					strokes: STROKES
				}
			} satisfies ServiceReceipt);
		});

		it('reads a job without parts, times or a signature as such', async () => {
			const receipt = await receiptFor(desk, bareJobId);
			expect(receipt).toMatchObject({
				status: 'open',
				outcome: null,
				fault: { category: null, description: '' },
				times: { reported: '2026-03-02 09:00', arrived: null, started: null, completed: null },
				parts: [],
				partsTotal: '0.00',
				signature: null
			});
		});

		it("is the job's technician's, the desk's and supervisors', no one else's", async () => {
			expect((await receiptFor(desk, signedJobId)).jobNo).toBe('D260302-007');
			expect((await receiptFor(boss, signedJobId)).jobNo).toBe('D260302-007');
			await expect(receiptFor(bob, signedJobId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
			await expect(receiptFor(stranger, signedJobId)).rejects.toMatchObject({
				code: 'NOT_FOUND'
			});
			await expect(receiptFor(desk, randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
		});

		it('prints it to a PDF with the prices and the signature', async () => {
			const pdf = await receiptPdf(await receiptFor(desk, signedJobId), 'zh-CN');
			expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
			const document = await getDocumentProxy(new Uint8Array(pdf));
			const { totalPages, text } = await extractText(document, { mergePages: true });
			expect(totalPages).toBe(1);
			for (const shown of [
				'服务单 D260302-007',
				'王女士',
				'KFR-35GW',
				'CMP-1',
				'12.50',
				'25.00',
				'30.00',
				'2026-03-02 23:30',
				'王芳，签于 2026-03-02 23:29'
			]) {
				expect(text).toContain(shown);
			}
		});

		it('draws the signature in the PDF as vector strokes, not as a picture', async () => {
			const signed = await receiptFor(desk, signedJobId);
			const withSignature = pageContents(await receiptPdf(signed, 'zh-CN'));
			const without = pageContents(await receiptPdf({ ...signed, signature: null }, 'zh-CN'));
			// The strokes' round caps and joins (`1 J`, `1 j`): nothing else on the receipt has them.
			expect(withSignature).toMatch(/\b1 J\b/);
			expect(withSignature).toMatch(/\b1 j\b/);
			expect(without).not.toMatch(/\b1 J\b/);
			expect(withSignature).not.toContain('/Image');
		});
	});
}
