import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../shared/sync';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import type { LocalDatabase } from '../local/db';
import { jobsOfSerial, likelyReworkOf, reworkWindowDaysOf } from './likely-rework';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 8);
/** kpi.md's default rework window. */
const WINDOW = 30;

/** A job of customer 王建国 (13800138000) with device SN-AB12, completed `completedDaysAgo`. */
function job(fields: Partial<JobRecord> & { jobNo: string; completedDaysAgo: number | null }) {
	const { completedDaysAgo, ...rest } = fields;
	const completedAt = completedDaysAgo === null ? null : new Date(NOW - completedDaysAgo * DAY);
	const reportedAt = new Date((completedAt?.getTime() ?? NOW) - DAY);
	const record: JobRecord = {
		id: randomUUID(),
		technicianId: randomUUID(),
		customerName: '王建国',
		customerPhone: '13800138000',
		customerAddress: '',
		productModel: 'KFR-35',
		deviceSerial: 'SN-AB12',
		faultCategoryId: null,
		faultDescription: '',
		reportedAt,
		arrivedAt: null,
		startedAt: null,
		completedAt,
		status: completedAt ? 'completed' : 'open',
		outcome: completedAt ? 'fixed' : null,
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
	return record;
}

const candidate = {
	deviceSerial: ' sn-ab12\u3000',
	customerName: '王建国',
	customerPhone: '13800138000',
	reportedAt: new Date(NOW)
};

describe('a likely rework of a new job', () => {
	it('is the newest job of the same serial (trimmed, any case) and customer in the window', () => {
		const older = job({ jobNo: 'OLDER', completedDaysAgo: 20 });
		const newer = job({ jobNo: 'NEWER', completedDaysAgo: 5 });
		expect(likelyReworkOf(candidate, [older, newer], WINDOW)?.jobNo).toBe('NEWER');
	});

	it('counts the window from completion, inclusive', () => {
		const edge = job({ jobNo: 'EDGE', completedDaysAgo: 30 });
		const beyond = job({ jobNo: 'BEYOND', completedDaysAgo: 30.01 });
		expect(likelyReworkOf(candidate, [edge], WINDOW)?.jobNo).toBe('EDGE');
		expect(likelyReworkOf(candidate, [beyond], WINDOW)).toBeNull();
		expect(likelyReworkOf(candidate, [beyond], 45)?.jobNo).toBe('BEYOND');
	});

	it("uses the station's window, as the session gives it: 7 days is not 30", () => {
		const tenDaysAgo = job({ jobNo: 'TEN', completedDaysAgo: 10 });
		const weekAgo = job({ jobNo: 'WEEK', completedDaysAgo: 7 });
		const station = (reworkWindowDays?: number) => reworkWindowDaysOf({ reworkWindowDays });
		expect(likelyReworkOf(candidate, [tenDaysAgo], station(30))?.jobNo).toBe('TEN');
		expect(likelyReworkOf(candidate, [tenDaysAgo], station(7))).toBeNull();
		expect(likelyReworkOf(candidate, [weekAgo, tenDaysAgo], station(7))?.jobNo).toBe('WEEK');
		// An identity remembered before the session carried the window: kpi.md's 30 days.
		expect(station(undefined)).toBe(30);
		expect(likelyReworkOf(candidate, [tenDaysAgo], station(undefined))?.jobNo).toBe('TEN');
	});

	it('includes a job still open, by when it was reported', () => {
		const open = job({ jobNo: 'OPEN', completedDaysAgo: null, reportedAt: new Date(NOW - DAY) });
		expect(likelyReworkOf(candidate, [open], WINDOW)?.jobNo).toBe('OPEN');
	});

	it('is none for another device, another customer, a cancelled or a later job', () => {
		const otherDevice = job({ jobNo: 'DEVICE', completedDaysAgo: 3, deviceSerial: 'SN-AB1' });
		const otherCustomer = job({ jobNo: 'PHONE', completedDaysAgo: 3, customerPhone: '139' });
		const cancelled = job({ jobNo: 'CANCELLED', completedDaysAgo: 3, status: 'cancelled' });
		const later = job({ jobNo: 'LATER', completedDaysAgo: -2 });
		expect(
			likelyReworkOf(candidate, [otherDevice, otherCustomer, cancelled, later], WINDOW)
		).toBeNull();
	});

	it('compares customers by phone when both have one, else by name in any case', () => {
		const renamed = job({ jobNo: 'RENAMED', completedDaysAgo: 3, customerName: '王先生' });
		expect(likelyReworkOf(candidate, [renamed], WINDOW)?.jobNo).toBe('RENAMED');
		const noPhone = { ...candidate, customerPhone: '', customerName: ' 王建国 ' };
		expect(
			likelyReworkOf(noPhone, [job({ jobNo: 'NAME', completedDaysAgo: 3 })], WINDOW)?.jobNo
		).toBe('NAME');
		expect(likelyReworkOf(noPhone, [renamed], WINDOW)).toBeNull();
	});

	it('is none for an empty serial or a time not yet entered', () => {
		const recent = job({ jobNo: 'RECENT', completedDaysAgo: 3, deviceSerial: '' });
		expect(likelyReworkOf({ ...candidate, deviceSerial: ' ' }, [recent], WINDOW)).toBeNull();
		const typed = { ...candidate, reportedAt: new Date(Number.NaN) };
		expect(likelyReworkOf(typed, [job({ jobNo: 'X', completedDaysAgo: 3 })], WINDOW)).toBeNull();
	});
});

describe('the jobs of a serial on the device', () => {
	let db: LocalDatabase;
	afterEach(() => db?.close());

	it('are found through the serial index in any case', async () => {
		db = await openDeviceStore(randomUUID(), fakeBrowser());
		const same = job({ jobNo: 'SAME', completedDaysAgo: 3 });
		const other = job({ jobNo: 'OTHER', completedDaysAgo: 3, deviceSerial: 'SN-AB123' });
		await db.jobs.bulkPut([same, other]);
		const found = await jobsOfSerial(db, ' sn-ab12 ');
		expect(found.map((record) => record.jobNo)).toEqual(['SAME']);
		expect(await jobsOfSerial(db, '  ')).toEqual([]);
	});
});
