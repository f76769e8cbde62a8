import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from './catalog';
import { DEMO_HISTORY_DAYS, generateDemo, type DemoData, type DemoJob } from './generate';

const NOW = new Date('2026-11-20T06:30:00Z');
const DAY = 86_400_000;
const demo = generateDemo({ now: NOW, seed: 7 });

/** Every timestamp of the data, with where it came from. */
function timestamps(data: DemoData): [string, Date][] {
	const found: [string, Date][] = [];
	for (const job of data.jobs) {
		for (const key of [
			'reportedAt',
			'assignedAt',
			'arrivedAt',
			'startedAt',
			'completedAt',
			'verifiedAt',
			'createdAt',
			'updatedAt'
		] as const) {
			const value = job[key];
			if (value) found.push([`${job.jobNo}.${key}`, value]);
		}
	}
	for (const line of data.jobParts) found.push([`part line ${line.id}`, line.createdAt]);
	for (const answer of data.surveyAnswers) {
		found.push([`survey answer ${answer.jobId}`, answer.answeredAt]);
	}
	for (const followUp of data.followUps) {
		found.push([`follow-up ${followUp.id}.visitedAt`, followUp.visitedAt]);
		found.push([`follow-up ${followUp.id}.createdAt`, followUp.createdAt]);
	}
	return found;
}

function localHour(date: Date): number {
	return new Date(date.getTime() + 8 * 3_600_000).getUTCHours();
}

describe('generateDemo', () => {
	it('gives the same data for the same seed and now', () => {
		expect(generateDemo({ now: new Date(NOW), seed: 7 })).toEqual(demo);
	});

	it('gives other data for another seed', () => {
		const other = generateDemo({ now: NOW, seed: 8 });
		expect(other.jobs.map((j) => j.customerPhone)).not.toEqual(
			demo.jobs.map((j) => j.customerPhone)
		);
	});

	it('moves every timestamp with now, a week later by exactly a week', () => {
		const later = generateDemo({ now: new Date(NOW.getTime() + 7 * DAY), seed: 7 });
		const before = timestamps(demo);
		const after = timestamps(later);
		expect(after).toHaveLength(before.length);
		after.forEach(([, date], i) => expect(date.getTime() - before[i][1].getTime()).toBe(7 * DAY));
		expect(later.jobs[0].jobNo).not.toBe(demo.jobs[0].jobNo);
		expect(later.jobs.map((j) => j.customerName)).toEqual(demo.jobs.map((j) => j.customerName));
	});

	it('never names a customer as one of the staff, whose names a job list must not show', () => {
		const staff = new Set(DEMO_ACCOUNTS.map((account) => account.name));
		for (const seed of [7, 8, 9]) {
			const data = seed === 7 ? demo : generateDemo({ now: NOW, seed });
			const customers = new Set(data.jobs.map((job) => job.customerName));
			expect([...customers].filter((name) => staff.has(name))).toEqual([]);
			// The staff's given names are still drawn, with other surnames.
			expect([...customers].filter((name) => name.endsWith('磊')).length).toBeGreaterThan(0);
		}
	});

	it('has the accounts, categories and parts of the catalog', () => {
		expect(demo.station).toMatchObject({
			code: 'DEMO',
			name: '示范服务站',
			timeZone: 'Asia/Shanghai'
		});
		expect(demo.users.map(({ login, name, role }) => ({ login, name, role }))).toEqual(
			DEMO_ACCOUNTS
		);
		expect(demo.users.filter((u) => u.role === 'technician')).toHaveLength(8);
		expect(demo.users.filter((u) => u.role === 'supervisor')).toHaveLength(1);
		expect(demo.users.filter((u) => u.role === 'admin')).toHaveLength(1);
		expect(demo.users.filter((u) => u.role === 'dispatcher')).toHaveLength(1);
		for (const user of demo.users) expect(user.login).toMatch(/^[a-z]+$/);

		expect(demo.categories.length).toBeGreaterThanOrEqual(8);
		for (const category of demo.categories) {
			expect(category.standardMinutes).toBeGreaterThanOrEqual(30);
			expect(category.standardMinutes).toBeLessThanOrEqual(180);
		}
		expect(new Set(demo.categories.map((c) => c.code)).size).toBe(demo.categories.length);

		expect(demo.parts).toHaveLength(40);
		expect(new Set(demo.parts.map((p) => p.sku)).size).toBe(40);
		for (const part of demo.parts) expect(part.unitCost).toMatch(/^\d+\.\d\d$/);
		expect(new Set(demo.parts.map((p) => p.unit))).toEqual(new Set(['个', '米', '套', '台']));
	});

	it('spans six months up to now with about 2,000 jobs', () => {
		expect(demo.jobs.length).toBeGreaterThan(1800);
		expect(demo.jobs.length).toBeLessThan(2300);
		const first = demo.jobs[0].reportedAt.getTime();
		const last = demo.jobs[demo.jobs.length - 1].reportedAt.getTime();
		expect(first).toBeGreaterThanOrEqual(NOW.getTime() - DEMO_HISTORY_DAYS * DAY);
		expect(NOW.getTime() - first).toBeGreaterThan((DEMO_HISTORY_DAYS - 2) * DAY);
		expect(NOW.getTime() - last).toBeLessThan(DAY);
		for (const [where, date] of timestamps(demo)) {
			if (date.getTime() > NOW.getTime()) throw new Error(`${where} lies after now`);
		}
	});

	it('numbers jobs per local day and gives them unique time-ordered UUIDs', () => {
		expect(new Set(demo.jobs.map((j) => j.jobNo)).size).toBe(demo.jobs.length);
		expect(new Set(demo.jobs.map((j) => j.id)).size).toBe(demo.jobs.length);
		for (const job of demo.jobs) {
			expect(job.id).toMatch(
				/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
			);
			expect(parseInt(job.id.replaceAll('-', '').slice(0, 12), 16)).toBe(job.reportedAt.getTime());
			const local = new Date(job.reportedAt.getTime() + 8 * 3_600_000).toISOString();
			expect(job.jobNo.slice(0, 13)).toBe(`DEMO-${local.slice(0, 10).replaceAll('-', '')}`);
		}
		const firstOfDay = demo.jobs.filter((j) => j.jobNo.endsWith('-0001')).length;
		expect(firstOfDay).toBe(new Set(demo.jobs.map((j) => j.jobNo.slice(0, 13))).size);
	});

	it('reports faults mostly in the daytime and more on weekdays', () => {
		const daytime = demo.jobs.filter(
			(j) => localHour(j.reportedAt) >= 7 && localHour(j.reportedAt) < 22
		);
		expect(daytime.length / demo.jobs.length).toBeGreaterThan(0.9);
		const weekdayOf = (j: DemoJob) => new Date(j.reportedAt.getTime() + 8 * 3_600_000).getUTCDay();
		const weekend = demo.jobs.filter((j) => weekdayOf(j) === 0 || weekdayOf(j) === 6).length;
		// 26 weeks: 52 weekend days and 130 weekdays.
		expect(weekend / 52).toBeLessThan((demo.jobs.length - weekend) / 130);
	});

	it('keeps job fields consistent with their status', () => {
		for (const job of demo.jobs) {
			if (job.status === 'completed') {
				expect(job.completedAt).not.toBeNull();
				expect(job.outcome).not.toBeNull();
				expect(job.completedAt!.getTime()).toBeGreaterThan(job.reportedAt.getTime());
			} else {
				expect(job.outcome).toBeNull();
				expect(job.completedAt).toBeNull();
				expect(job.verifiedAt).toBeNull();
			}
		}
		const byId = new Map(demo.jobs.map((j) => [j.id, j]));
		const finished = new Set(demo.jobs.filter((j) => j.status === 'completed').map((j) => j.id));
		for (const line of demo.jobParts) expect(finished.has(line.jobId)).toBe(true);
		for (const followUp of demo.followUps) {
			const job = byId.get(followUp.jobId)!;
			expect(job.status).toBe('completed');
			expect(followUp.visitedAt.getTime()).toBeGreaterThan(job.completedAt!.getTime());
		}
		for (const job of demo.jobs.filter((j) => j.previousJobId)) {
			const previous = byId.get(job.previousJobId!)!;
			expect(previous.completedAt!.getTime()).toBeLessThan(job.reportedAt.getTime());
			expect(job.deviceSerial.trim().toLowerCase()).toBe(
				previous.deviceSerial.trim().toLowerCase()
			);
		}
		const linesPerJob = new Map<string, number>();
		for (const line of demo.jobParts)
			linesPerJob.set(line.jobId, (linesPerJob.get(line.jobId) ?? 0) + 1);
		expect(Math.max(...linesPerJob.values())).toBe(3);
		for (const line of demo.jobParts) {
			expect(Number(line.qty)).toBeGreaterThan(0);
			expect(line.unitCost).toMatch(/^\d+\.\d\d$/);
		}
	});

	it("rates only through the desk's calls, supervisors and customers' survey answers", () => {
		const bySource = new Map<string, typeof demo.followUps>();
		for (const followUp of demo.followUps) {
			bySource.set(followUp.source, [...(bySource.get(followUp.source) ?? []), followUp]);
		}
		expect([...bySource.keys()].sort()).toEqual(['desk', 'supervisor', 'survey', 'technician']);
		const jobs = new Map(demo.jobs.map((job) => [job.id, job]));
		for (const note of bySource.get('technician')!) {
			expect(note).toMatchObject({ satisfaction: null, issueResolved: null });
			const { verifiedAt } = jobs.get(note.jobId)!;
			if (verifiedAt) expect(note.visitedAt.getTime()).toBeLessThan(verifiedAt.getTime());
		}
		const rated = demo.followUps.filter((followUp) => followUp.satisfaction !== null);
		expect(bySource.get('desk')!.length).toBeGreaterThan(bySource.get('survey')!.length);
		expect(rated.filter((f) => f.source === 'survey').length).toBeGreaterThan(rated.length / 5);
		// Each survey answer is one per job, with the follow-up it wrote.
		const surveyed = new Set(demo.surveyAnswers.map((answer) => answer.jobId));
		expect(surveyed.size).toBe(demo.surveyAnswers.length);
		const followUps = new Map(demo.followUps.map((followUp) => [followUp.id, followUp]));
		for (const answer of demo.surveyAnswers) {
			expect(followUps.get(answer.followUpId)).toMatchObject({
				jobId: answer.jobId,
				userId: null,
				source: 'survey',
				channel: 'other',
				satisfaction: answer.satisfaction,
				issueResolved: answer.issueResolved
			});
		}
		expect(bySource.get('survey')!.length).toBe(demo.surveyAnswers.length);
	});

	it('recent jobs are still open, in progress or not yet followed up', () => {
		const recent = demo.jobs.filter((j) => NOW.getTime() - j.reportedAt.getTime() < 3 * DAY);
		expect(recent.some((j) => j.status === 'open')).toBe(true);
		expect(recent.some((j) => j.status === 'in_progress')).toBe(true);
		for (const job of demo.jobs.filter((j) => j.status === 'open' || j.status === 'in_progress')) {
			expect(NOW.getTime() - job.reportedAt.getTime()).toBeLessThan(6 * DAY);
		}
		const followedUp = new Set(demo.followUps.map((f) => f.jobId));
		const share = (jobs: DemoJob[]) =>
			jobs.filter((j) => followedUp.has(j.id)).length / jobs.length;
		const completed = demo.jobs.filter((j) => j.status === 'completed');
		const lastTwoDays = completed.filter((j) => NOW.getTime() - j.completedAt!.getTime() < 2 * DAY);
		const older = completed.filter((j) => NOW.getTime() - j.completedAt!.getTime() > 14 * DAY);
		expect(share(lastTwoDays)).toBeLessThan(0.5);
		expect(share(older)).toBeGreaterThan(0.75);
	});

	it('has the desk open most jobs before the technician arrives, and technicians some on site', async () => {
		const desk = demo.users.find((u) => u.role === 'dispatcher')!;
		const technicianIds = new Set(
			demo.users.filter((u) => u.role === 'technician').map((u) => u.id)
		);
		const fromDesk = demo.jobs.filter((j) => j.origin === 'desk');
		const walkIns = demo.jobs.filter((j) => j.origin === 'technician');
		expect(fromDesk.length + walkIns.length).toBe(demo.jobs.length);
		expect(walkIns.length / demo.jobs.length).toBeGreaterThan(0.05);
		expect(walkIns.length / demo.jobs.length).toBeLessThan(0.2);
		for (const job of fromDesk) expect(job.reportedBy).toBe(desk.id);
		for (const job of walkIns) {
			expect(job.reportedBy).toBe(job.technicianId);
			expect(job.assignedAt).toEqual(job.reportedAt);
		}
		// Regular visits (not the data-quality flaws): the desk's calls wait hours, walk-ins minutes.
		const responseHours = (jobs: DemoJob[]) => {
			const regular = jobs.filter(
				(j) => j.status === 'completed' && j.arrivedAt && j.arrivedAt >= j.reportedAt
			);
			const total = regular.reduce(
				(sum, j) => sum + (j.arrivedAt!.getTime() - j.reportedAt.getTime()) / 3_600_000,
				0
			);
			return total / regular.length;
		};
		expect(responseHours(fromDesk)).toBeGreaterThan(6);
		expect(responseHours(fromDesk)).toBeLessThan(18);
		expect(responseHours(walkIns)).toBeLessThan(0.1);
		for (const job of demo.jobs.filter(
			(j) => j.technicianId !== null && j.status !== 'cancelled'
		)) {
			expect(job.assignedAt, job.jobNo).not.toBeNull();
			expect(job.assignedAt!.getTime()).toBeGreaterThanOrEqual(job.reportedAt.getTime());
			if (job.arrivedAt && job.arrivedAt >= job.reportedAt) {
				expect(job.assignedAt!.getTime()).toBeLessThanOrEqual(job.arrivedAt.getTime());
			}
		}
		const urgent = fromDesk.filter((j) => j.urgency === 'urgent').length / fromDesk.length;
		expect(urgent).toBeGreaterThan(0.05);
		expect(urgent).toBeLessThan(0.15);
		for (const job of walkIns) expect(technicianIds.has(job.reportedBy)).toBe(true);
	});

	it('leaves calls undispatched and jobs overdue for the board, at any hour', async () => {
		// 14:30, 23:00, 03:00 and 08:10 in the station (UTC+8): working time and night.
		for (const at of [
			NOW,
			new Date('2026-11-20T15:00:00Z'),
			new Date('2026-11-20T19:00:00Z'),
			new Date('2026-11-21T00:10:00Z')
		]) {
			const data = generateDemo({ now: at, seed: 7 });
			const notDone = data.jobs.filter((j) => j.status === 'open' || j.status === 'in_progress');
			const unassigned = notDone.filter((j) => j.technicianId === null);
			expect(unassigned.length, at.toISOString()).toBeGreaterThanOrEqual(3);
			for (const job of unassigned) {
				expect(job).toMatchObject({
					status: 'open',
					origin: 'desk',
					assignedAt: null,
					arrivedAt: null
				});
			}
			const overdue = notDone.filter(
				(j) => j.technicianId !== null && at.getTime() - j.reportedAt.getTime() > 24 * 3_600_000
			);
			expect(
				overdue.some((j) => j.status === 'open'),
				at.toISOString()
			).toBe(true);
			expect(
				overdue.some((j) => j.status === 'in_progress'),
				at.toISOString()
			).toBe(true);
			// The desk's work in hand is today's (or, early in the morning, last evening's) calls.
			const newest = Math.max(...unassigned.map((j) => j.reportedAt.getTime()));
			expect(at.getTime() - newest).toBeLessThan(14 * 3_600_000);
		}
	});
});
