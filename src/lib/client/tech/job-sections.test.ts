import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '$lib/shared/sync';
import { RECENT_LIMIT, sectionJobs } from './job-sections';

const ZONE = 'Asia/Shanghai';
const now = new Date('2026-03-10T04:00:00Z'); // 12:00 in Shanghai
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function job(values: Partial<JobRecord>): JobRecord {
	return {
		id: randomUUID(),
		jobNo: values.jobNo ?? randomUUID().slice(0, 8),
		technicianId: randomUUID(),
		customerName: '',
		customerPhone: '',
		customerAddress: '',
		productModel: '',
		deviceSerial: '',
		faultCategoryId: null,
		faultDescription: '',
		reportedAt: daysAgo(3),
		arrivedAt: null,
		startedAt: null,
		completedAt: null,
		status: 'open',
		outcome: null,
		previousJobId: null,
		notes: '',
		verifiedAt: null,
		updatedAt: now,
		origin: 'technician',
		urgency: 'normal',
		assignedAt: null,
		dispatched: false,
		...values
	};
}

describe('the job list sections', () => {
	it('put each job in the first section that fits', () => {
		const started = job({ jobNo: 'started', status: 'in_progress', startedAt: daysAgo(0) });
		const arrived = job({ jobNo: 'arrived', arrivedAt: daysAgo(0) });
		const waiting = job({ jobNo: 'waiting', reportedAt: daysAgo(5) });
		const doneToday = job({ jobNo: 'done-today', status: 'completed', completedAt: daysAgo(0.1) });
		const noFollowUp = job({ jobNo: 'no-follow-up', status: 'completed', completedAt: daysAgo(4) });
		const followedUp = job({ jobNo: 'followed-up', status: 'completed', completedAt: daysAgo(4) });
		const cancelled = job({ jobNo: 'cancelled', status: 'cancelled' });
		const old = job({
			jobNo: 'old',
			status: 'completed',
			completedAt: daysAgo(60),
			reportedAt: daysAgo(61)
		});

		const sections = sectionJobs(
			[started, arrived, waiting, doneToday, noFollowUp, followedUp, cancelled, old],
			new Set([followedUp.id]),
			now,
			ZONE
		);
		const numbers = (jobs: JobRecord[]) => jobs.map((j) => j.jobNo).sort();
		expect(numbers(sections.inProgress)).toEqual(['arrived', 'started']);
		expect(numbers(sections.today)).toEqual(['done-today', 'waiting']);
		expect(numbers(sections.awaitingFollowUp)).toEqual(['no-follow-up']);
		expect(numbers(sections.recent)).toEqual(['cancelled', 'followed-up']);
	});

	it('list recent jobs newest first, up to a limit, and count the rest', () => {
		const jobs = Array.from({ length: RECENT_LIMIT + 3 }, (_, i) =>
			job({ status: 'cancelled', reportedAt: new Date(daysAgo(2).getTime() - i * 60_000) })
		);
		const sections = sectionJobs([...jobs].reverse(), new Set(), now, ZONE);
		expect(sections.recent).toEqual(jobs.slice(0, RECENT_LIMIT));
		expect(sections.recentLeftOut).toBe(3);
	});
});
