import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../shared/sync';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import type { LocalDatabase } from '../local/db';
import { EARLIER_LIMIT, SEARCH_LIMIT, earlierJobs, searchJobs } from './job-search';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 8);

function job(fields: Partial<JobRecord> & { jobNo: string; daysAgo: number }): JobRecord {
	const { daysAgo, ...rest } = fields;
	const reportedAt = new Date(NOW - daysAgo * DAY);
	return {
		id: randomUUID(),
		technicianId: randomUUID(),
		customerName: '',
		customerPhone: '',
		customerAddress: '',
		productModel: '',
		deviceSerial: '',
		faultCategoryId: null,
		faultDescription: '',
		reportedAt,
		arrivedAt: null,
		startedAt: null,
		completedAt: null,
		status: 'open',
		outcome: null,
		previousJobId: null,
		notes: '',
		verifiedAt: null,
		updatedAt: reportedAt,
		origin: 'technician',
		urgency: 'normal',
		assignedAt: null,
		dispatched: false,
		...rest
	};
}

let db: LocalDatabase;
afterEach(() => db?.close());

async function storeWith(jobs: JobRecord[]) {
	db = await openDeviceStore(randomUUID(), fakeBrowser());
	await db.jobs.bulkPut(jobs);
	return db;
}

const numbers = (jobs: JobRecord[]) => jobs.map((found) => found.jobNo);

describe('searching the jobs on the device', () => {
	const old = job({
		jobNo: '250601-K7QX2M-3',
		daysAgo: 200,
		customerName: '王建国',
		customerPhone: '13800138000',
		deviceSerial: 'SN-Ab12'
	});
	const recent = job({
		jobNo: '261201-K7QX2M-41',
		daysAgo: 5,
		customerName: 'Li Na',
		customerPhone: '13912345678',
		deviceSerial: 'XY-900'
	});
	const other = job({ jobNo: '261205-K7QX2M-42', daysAgo: 1, customerName: '赵六' });

	it('finds a job of any age by part of its number, name, phone or serial, in any case', async () => {
		await storeWith([old, recent, other]);
		expect(numbers((await searchJobs(db, '138001')).jobs)).toEqual([old.jobNo]);
		expect(numbers((await searchJobs(db, '建国')).jobs)).toEqual([old.jobNo]);
		expect(numbers((await searchJobs(db, '  sn-AB ')).jobs)).toEqual([old.jobNo]);
		expect(numbers((await searchJobs(db, 'LI NA')).jobs)).toEqual([recent.jobNo]);
		expect(numbers((await searchJobs(db, 'k7qx2m-4')).jobs)).toEqual([other.jobNo, recent.jobNo]);
		expect(numbers((await searchJobs(db, '5678')).jobs)).toEqual([recent.jobNo]);
	});

	it('finds nothing for an empty query or one nothing contains', async () => {
		await storeWith([old, recent]);
		expect(await searchJobs(db, '   ')).toEqual({ jobs: [], more: 0 });
		expect(numbers((await searchJobs(db, '13800138000 ')).jobs)).toEqual([old.jobNo]);
		expect((await searchJobs(db, 'zzz')).jobs).toEqual([]);
	});

	it('lists a job matching in several fields once, newest first, and counts those left out', async () => {
		const many = Array.from({ length: SEARCH_LIMIT + 7 }, (_, i) =>
			job({ jobNo: `J-${i}`, daysAgo: i, customerName: `客户 ${i}`, deviceSerial: `j-${i}` })
		);
		await storeWith(many);
		const found = await searchJobs(db, 'j-');
		expect(found.more).toBe(7);
		expect(numbers(found.jobs)).toEqual(numbers(many.slice(0, SEARCH_LIMIT)));
	});
});

describe("a job's earlier jobs on the device", () => {
	it('are those of the same serial (trimmed, any case) or phone, reported before it', async () => {
		const current = job({
			jobNo: 'NOW',
			daysAgo: 0,
			customerPhone: '13800138000',
			deviceSerial: ' sn-ab12 '
		});
		const sameDevice = job({ jobNo: 'DEV', daysAgo: 90, deviceSerial: 'SN-AB12' });
		const both = job({
			jobNo: 'BOTH',
			daysAgo: 400,
			customerPhone: '13800138000',
			deviceSerial: 'sn-ab12'
		});
		const sameCustomer = job({
			jobNo: 'CUST',
			daysAgo: 30,
			customerPhone: '13800138000',
			deviceSerial: 'OTHER'
		});
		const later = job({ jobNo: 'LATER', daysAgo: -1, deviceSerial: 'SN-AB12' });
		const unrelated = job({
			jobNo: 'NO',
			daysAgo: 10,
			customerPhone: '1380013800',
			deviceSerial: 'SN-AB1'
		});
		await storeWith([current, sameDevice, both, sameCustomer, later, unrelated]);
		const earlier = await earlierJobs(db, current);
		expect(numbers(earlier.device)).toEqual(['DEV', 'BOTH']);
		expect(numbers(earlier.customer)).toEqual(['CUST']);
	});

	it('are none for a job without serial and phone, and at most EARLIER_LIMIT per group', async () => {
		const blank = job({ jobNo: 'BLANK', daysAgo: 0 });
		const current = job({ jobNo: 'NOW', daysAgo: 0, customerPhone: '010-1' });
		const visits = Array.from({ length: EARLIER_LIMIT + 3 }, (_, i) =>
			job({ jobNo: `V${i}`, daysAgo: i + 1, customerPhone: '010-1' })
		);
		await storeWith([blank, current, ...visits, job({ jobNo: 'X', daysAgo: 3 })]);
		expect(await earlierJobs(db, blank)).toEqual({ device: [], customer: [] });
		const earlier = await earlierJobs(db, current);
		expect(numbers(earlier.customer)).toEqual(numbers(visits.slice(0, EARLIER_LIMIT)));
	});
});
