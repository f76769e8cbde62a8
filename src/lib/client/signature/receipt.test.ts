import { describe, expect, it } from 'vitest';
import type { JobPartRecord, JobRecord, PartRecord } from '../../shared/sync';
import { serviceReceipt } from './receipt';

const job: JobRecord = {
	id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
	jobNo: '261207-ABCDEF-3',
	technicianId: '0190a1b2-c3d4-7e5f-8a9b-000000000001',
	customerName: '李女士',
	customerPhone: '13800000000',
	customerAddress: '长宁路 1 号',
	productModel: 'KFR-35GW',
	deviceSerial: 'SN123',
	faultCategoryId: null,
	faultDescription: '不制冷',
	reportedAt: new Date('2026-12-07T01:00:00Z'),
	arrivedAt: new Date('2026-12-07T02:00:00Z'),
	startedAt: new Date('2026-12-07T02:05:00Z'),
	completedAt: new Date('2026-12-07T03:00:00Z'),
	status: 'completed',
	outcome: 'fixed',
	previousJobId: null,
	notes: '更换电容',
	verifiedAt: null,
	updatedAt: new Date('2026-12-07T03:00:00Z'),
	origin: 'technician',
	urgency: 'normal',
	assignedAt: null,
	dispatched: false
};

const capacitor: PartRecord = {
	id: '0190a1b2-c3d4-7e5f-8a9b-00000000000c',
	sku: 'CAP-1',
	name: '电容',
	unit: '个',
	unitCost: '12.50',
	active: true
};

const line = (id: string, partId: string, qty: string, unitCost: string, minute: number) =>
	({
		id,
		jobId: job.id,
		partId,
		qty,
		unitCost,
		createdAt: new Date(`2026-12-07T02:${String(minute).padStart(2, '0')}:00Z`)
	}) satisfies JobPartRecord;

const signature = {
	jobId: job.id,
	signerName: '李女士',
	signedAt: new Date('2026-12-07T02:59:00Z'),
	strokes: [
		[10, 20, 30, 40],
		[500, 200]
	]
};

describe('serviceReceipt', () => {
	it('lists the part lines in the order added, priced as recorded on them, with the total', () => {
		const receipt = serviceReceipt({
			stationName: '上海长宁站',
			job,
			categoryName: '空调',
			lines: [
				line('b', 'gone-from-catalog', '1.5', '3.30', 20),
				line('a', capacitor.id, '2', '12.50', 10)
			],
			catalog: new Map([[capacitor.id, capacitor]]),
			signature
		});
		expect(receipt.parts).toEqual([
			{
				id: 'a',
				sku: 'CAP-1',
				name: '电容',
				unit: '个',
				qty: '2',
				unitPrice: '12.50',
				amount: '25.00'
			},
			{ id: 'b', sku: '', name: '', unit: '', qty: '1.5', unitPrice: '3.30', amount: '4.95' }
		]);
		expect(receipt.partsTotal).toBe('29.95');
		expect(receipt).toMatchObject({
			stationName: '上海长宁站',
			jobNo: '261207-ABCDEF-3',
			customer: { name: '李女士', phone: '13800000000', address: '长宁路 1 号' },
			device: { model: 'KFR-35GW', serial: 'SN123' },
			fault: { category: '空调', description: '不制冷' },
			work: { outcome: 'fixed', notes: '更换电容' },
			times: {
				reportedAt: job.reportedAt,
				arrivedAt: job.arrivedAt,
				startedAt: job.startedAt,
				completedAt: job.completedAt
			}
		});
	});

	it('draws the signature as one SVG path with its signer and time', () => {
		const receipt = serviceReceipt({
			stationName: '站',
			job,
			categoryName: null,
			lines: [],
			catalog: new Map(),
			signature
		});
		expect(receipt.parts).toEqual([]);
		expect(receipt.partsTotal).toBe('0.00');
		expect(receipt.signature).toEqual({
			signerName: '李女士',
			signedAt: signature.signedAt,
			path: 'M10 20L30 40M500 200l0 0'
		});
	});

	it('is not signed without a signature, or when the completion it came with was refused', () => {
		const shaped = (status: JobRecord['status'], kept: typeof signature | undefined) =>
			serviceReceipt({
				stationName: '站',
				job: { ...job, status, completedAt: status === 'completed' ? job.completedAt : null },
				categoryName: null,
				lines: [],
				catalog: new Map(),
				signature: kept
			}).signature;
		expect(shaped('completed', undefined)).toBeNull();
		expect(shaped('in_progress', signature)).toBeNull();
		expect(shaped('completed', signature)).not.toBeNull();
	});
});
