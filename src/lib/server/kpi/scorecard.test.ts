/**
 * Hand-computed scenarios, one small station per rule of kpi.md, on every test engine. The
 * expected numbers are worked out in the comments, not taken from the engine.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, jobParts, type Job, type NewJob } from '../db/schema';
import { testEngines } from '../testing/databases';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser,
	setStationSettings
} from '../testing/fixtures';
import type { SessionUser } from '../auth/session-user';
import type { KpiSettings } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import type { KpiGround } from '../../shared/kpi-ground';
import { SCORECARD_COLUMNS, type ScorecardRow } from '../../shared/kpi';
import { computeScorecard, computeScorecardWithGround } from './scorecard';
import { jobFacts } from './job-facts';
import { refreshStaleFacts } from './fact-refresh';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** 12:00 in Shanghai on 2 March 2026, inside the default test period. */
const NOON = new Date('2026-03-02T04:00:00Z');

/** Every KPI scored from its first job or rating: the scenarios of kpi.md's own rules. */
const NO_MINIMUMS: KpiSettings['minimums'] = {
	repair_success_rate: 0,
	avg_response_hours: 0,
	duration_index: 0,
	csat: 0,
	follow_up_rate: 0,
	record_accuracy: 0,
	parts_cost_per_job: 0
};

const minutesBefore = (date: Date, minutes: number) => new Date(date.getTime() - minutes * MINUTE);
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);

for (const engine of testEngines()) {
	describe(`KPI engine on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(() => handle.close());

		async function station(timeZone = 'Asia/Shanghai') {
			stationCount += 1;
			return createStation(db, `K${stationCount}`, timeZone);
		}

		async function setKpiSettings(stationId: string, kpiSettings: KpiSettings) {
			await setStationSettings(db, stationId, { kpiSettings });
		}

		async function stationWithTechnician(login = 'tech') {
			const s = await station();
			return { station: s, tech: await createUser(db, s, login) };
		}

		/**
		 * A completed, fixed job: reported 3 h, arrived 2 h and started 1 h before completion
		 * (response 1 h, repair 60 min, clean), completed at noon on 2 March unless given.
		 */
		function completedJob(tech: SessionUser, values: Partial<NewJob> = {}) {
			const completedAt = values.completedAt ?? NOON;
			return createJob(db, tech, {
				status: 'completed',
				outcome: 'fixed',
				reportedAt: minutesBefore(completedAt, 180),
				arrivedAt: minutesBefore(completedAt, 120),
				startedAt: minutesBefore(completedAt, 60),
				...values,
				completedAt
			});
		}

		async function addFollowUp(
			job: Job,
			values: {
				visitedAt: Date;
				satisfaction?: number | null;
				issueResolved?: boolean | null;
				createdAt?: Date;
				id?: string;
			}
		) {
			await db.insert(followUps).values({
				source: 'desk',
				stationId: job.stationId,
				id: values.id ?? randomUUID(),
				jobId: job.id,
				visitedAt: values.visitedAt,
				satisfaction: values.satisfaction ?? null,
				issueResolved: values.issueResolved ?? null,
				...(values.createdAt ? { createdAt: values.createdAt } : {})
			});
		}

		async function addPartLine(job: Job, qty: string, unitCost: string) {
			const part = await createPart(db, job.stationId, `P-${randomUUID().slice(0, 8)}`, unitCost);
			await db.insert(jobParts).values({
				stationId: job.stationId,
				id: randomUUID(),
				jobId: job.id,
				partId: part.id,
				qty,
				unitCost
			});
		}

		const MARCH = { from: '2026-03-01', to: '2026-04-01' };

		function scorecard(stationId: string, period = MARCH) {
			return computeScorecard(db, { stationId, ...period });
		}

		async function onlyRow(stationId: string, period = MARCH): Promise<ScorecardRow> {
			await refreshStaleFacts(db);
			const rows = await scorecard(stationId, period);
			expect(rows).toHaveLength(1);
			return rows[0];
		}

		async function factsByJobNo(stationId: string, period = MARCH) {
			await refreshStaleFacts(db);
			const facts = await jobFacts(db, { stationId, ...period });
			return new Map(facts.map((f) => [f.job_no, f]));
		}

		it('returns exactly the contract columns, in order', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await completedJob(tech);
			const row = await onlyRow(s.id);
			expect(Object.keys(row)).toEqual([...SCORECARD_COLUMNS]);
			expect(row).toMatchObject({ login: 'tech', name: 'tech 名字', jobs_completed: 1 });
		});

		it('fails a job whose outcome is not_fixed', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await completedJob(tech, { jobNo: 'FIXED' });
			await completedJob(tech, { jobNo: 'NOT-FIXED', outcome: 'not_fixed' });
			// 1 success of 2 jobs.
			expect((await onlyRow(s.id)).repair_success_rate).toBe(0.5);
			const facts = await factsByJobNo(s.id);
			expect(facts.get('FIXED')).toMatchObject({ success: true, failure_reasons: [] });
			expect(facts.get('NOT-FIXED')).toMatchObject({
				success: false,
				failure_reasons: ['not_fixed']
			});
		});

		it('fails a job with a follow-up whose issue is unresolved, not one resolved or unknown', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const unresolved = await completedJob(tech, { jobNo: 'UNRESOLVED' });
			await addFollowUp(unresolved, { visitedAt: later(NOON, DAY), issueResolved: true });
			await addFollowUp(unresolved, { visitedAt: later(NOON, 2 * DAY), issueResolved: false });
			const resolved = await completedJob(tech, { jobNo: 'RESOLVED' });
			await addFollowUp(resolved, { visitedAt: later(NOON, DAY), issueResolved: true });
			await addFollowUp(resolved, { visitedAt: later(NOON, 2 * DAY), issueResolved: null });
			const both = await completedJob(tech, { jobNo: 'BOTH', outcome: 'not_fixed' });
			await addFollowUp(both, { visitedAt: later(NOON, DAY), issueResolved: false });

			// Only RESOLVED succeeds: 1 of 3.
			expect((await onlyRow(s.id)).repair_success_rate).toBeCloseTo(1 / 3, 12);
			const facts = await factsByJobNo(s.id);
			expect(facts.get('UNRESOLVED')!.failure_reasons).toEqual(['follow_up_unresolved']);
			expect(facts.get('RESOLVED')!.success).toBe(true);
			expect(facts.get('BOTH')!.failure_reasons).toEqual(['not_fixed', 'follow_up_unresolved']);
		});

		it('fails a job reworked through previous_job, whatever the rework’s status and date', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const first = await completedJob(tech, { jobNo: 'FIRST' });
			// An open revisit months later, outside the period and any serial window.
			await createJob(db, tech, {
				jobNo: 'REVISIT',
				previousJobId: first.id,
				reportedAt: new Date('2026-06-01T01:00:00Z')
			});
			const second = await completedJob(tech, { jobNo: 'SECOND' });
			await createJob(db, tech, {
				jobNo: 'CANCELLED-REVISIT',
				previousJobId: second.id,
				status: 'cancelled',
				reportedAt: later(NOON, DAY)
			});
			const facts = await factsByJobNo(s.id);
			expect(facts.get('FIRST')).toMatchObject({
				success: false,
				failure_reasons: ['reworked'],
				reworked_by: ['REVISIT']
			});
			expect(facts.get('SECOND')).toMatchObject({ success: true, reworked_by: [] });
			expect((await onlyRow(s.id)).repair_success_rate).toBe(0.5);
		});

		it('detects rework by serial, trimmed and case-insensitive, within the same station only', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await completedJob(tech, { jobNo: 'J-SPACES', deviceSerial: ' ab12 ' });
			await createJob(db, tech, {
				jobNo: 'R-UPPER',
				deviceSerial: 'AB12',
				reportedAt: later(NOON, DAY)
			});
			await completedJob(tech, { jobNo: 'J-OTHER-STATION', deviceSerial: 'XY9' });
			const { tech: elsewhere } = await stationWithTechnician('elsewhere');
			await createJob(db, elsewhere, {
				jobNo: 'R-ELSEWHERE',
				deviceSerial: 'xy9',
				reportedAt: later(NOON, DAY)
			});

			const facts = await factsByJobNo(s.id);
			expect(facts.get('J-SPACES')).toMatchObject({
				failure_reasons: ['reworked'],
				reworked_by: ['R-UPPER']
			});
			expect(facts.get('J-OTHER-STATION')!.success).toBe(true);
		});

		it('trims the white space spreadsheets leave around a serial, but not inside it', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const revisit = (jobNo: string, deviceSerial: string) =>
				createJob(db, tech, { jobNo, deviceSerial, reportedAt: later(NOON, DAY) });
			// Tab before, no-break space after.
			await completedJob(tech, { jobNo: 'TAB', deviceSerial: '\tSN-001' });
			await revisit('R-TAB', 'sn-001\u00a0');
			// Ideographic spaces (U+3000) both sides, as a Chinese IME types them.
			await completedJob(tech, { jobNo: 'IDEOGRAPHIC', deviceSerial: '\u3000SN-002\u3000' });
			await revisit('R-IDEOGRAPHIC', 'SN-002');
			// A line end and a byte order mark, as a pasted cell brings them.
			await completedJob(tech, { jobNo: 'LINE-END', deviceSerial: '\ufeffSN-003\r\n' });
			await revisit('R-LINE-END', ' Sn-003');
			// An inner space is part of the serial.
			await completedJob(tech, { jobNo: 'INNER', deviceSerial: 'SN\u3000004' });
			await revisit('R-INNER', 'SN004');
			// Nothing but white space is no serial at all.
			await completedJob(tech, { jobNo: 'BLANK', deviceSerial: '\u3000\t\u00a0' });
			await revisit('R-BLANK', '\u3000');

			const facts = await factsByJobNo(s.id);
			expect(facts.get('TAB')!.reworked_by).toEqual(['R-TAB']);
			expect(facts.get('IDEOGRAPHIC')!.reworked_by).toEqual(['R-IDEOGRAPHIC']);
			expect(facts.get('LINE-END')!.reworked_by).toEqual(['R-LINE-END']);
			expect(facts.get('INNER')).toMatchObject({ success: true, reworked_by: [] });
			expect(facts.get('BLANK')).toMatchObject({ success: true, reworked_by: [] });
			// 2 successes (INNER, BLANK) of 5 completed jobs; the revisits are still open.
			expect((await onlyRow(s.id)).repair_success_rate).toBe(0.4);
		});

		it('counts a serial rework reported up to exactly the window end, not a second later nor at completion', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const window = 30 * DAY;
			await completedJob(tech, { jobNo: 'EDGE', deviceSerial: 'W1' });
			await createJob(db, tech, {
				jobNo: 'R-EDGE',
				deviceSerial: 'W1',
				reportedAt: later(NOON, window)
			});
			await completedJob(tech, { jobNo: 'PAST', deviceSerial: 'W2' });
			await createJob(db, tech, {
				jobNo: 'R-PAST',
				deviceSerial: 'W2',
				reportedAt: later(NOON, window + 1000)
			});
			await completedJob(tech, { jobNo: 'SAME-TIME', deviceSerial: 'W3' });
			await createJob(db, tech, { jobNo: 'R-SAME-TIME', deviceSerial: 'W3', reportedAt: NOON });

			const facts = await factsByJobNo(s.id);
			expect(facts.get('EDGE')!.reworked_by).toEqual(['R-EDGE']);
			expect(facts.get('PAST')!.success).toBe(true);
			expect(facts.get('SAME-TIME')!.success).toBe(true);
		});

		it('uses the station’s own rework window', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await setStationSettings(db, s.id, { reworkWindowDays: 7 });
			await completedJob(tech, { jobNo: 'IN', deviceSerial: 'W7' });
			await createJob(db, tech, {
				jobNo: 'R-IN',
				deviceSerial: 'W7',
				reportedAt: later(NOON, 7 * DAY)
			});
			await completedJob(tech, { jobNo: 'OUT', deviceSerial: 'W8' });
			await createJob(db, tech, {
				jobNo: 'R-OUT',
				deviceSerial: 'W8',
				reportedAt: later(NOON, 7 * DAY + 1000)
			});
			const facts = await factsByJobNo(s.id);
			expect(facts.get('IN')!.reworked_by).toEqual(['R-IN']);
			expect(facts.get('OUT')!.success).toBe(true);
		});

		it('ignores cancelled reworks, empty serials and the job itself', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await completedJob(tech, { jobNo: 'CANCELLED-R', deviceSerial: 'C1' });
			await createJob(db, tech, {
				jobNo: 'R-CANCELLED',
				deviceSerial: 'c1',
				status: 'cancelled',
				reportedAt: later(NOON, DAY)
			});
			await completedJob(tech, { jobNo: 'EMPTY', deviceSerial: '' });
			await createJob(db, tech, {
				jobNo: 'R-EMPTY',
				deviceSerial: '',
				reportedAt: later(NOON, DAY)
			});
			await completedJob(tech, { jobNo: 'BLANK', deviceSerial: '   ' });
			await createJob(db, tech, {
				jobNo: 'R-BLANK',
				deviceSerial: ' ',
				reportedAt: later(NOON, DAY)
			});
			// Reported after its own completion: J itself falls in its window, but R = J never counts.
			await completedJob(tech, {
				jobNo: 'SELF',
				deviceSerial: 'SELF1',
				reportedAt: later(NOON, 60 * MINUTE),
				arrivedAt: null,
				startedAt: null
			});

			const facts = await factsByJobNo(s.id);
			for (const jobNo of ['CANCELLED-R', 'EMPTY', 'BLANK', 'SELF']) {
				expect(facts.get(jobNo), jobNo).toMatchObject({ success: true, reworked_by: [] });
			}
			expect(facts.get('SELF')!.flags).toEqual([
				'missing_arrival',
				'missing_start',
				'out_of_order'
			]);
		});

		it('bounds the period by local midnights of the station (Asia/Shanghai, UTC+8)', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const at = (iso: string, jobNo: string, status: 'completed' | 'in_progress' = 'completed') =>
				completedJob(tech, {
					jobNo,
					completedAt: new Date(iso),
					status,
					outcome: status === 'completed' ? 'fixed' : null
				});
			await at('2026-02-28T15:59:59Z', 'BEFORE'); // 23:59:59 on 28 Feb local
			await at('2026-02-28T16:00:00Z', 'FIRST-MIDNIGHT'); // 00:00 on 1 March local
			await at('2026-03-01T15:59:59Z', 'LAST-SECOND'); // 23:59:59 on 1 March local
			await at('2026-03-01T16:00:00Z', 'NEXT-MIDNIGHT'); // 00:00 on 2 March local
			await at('2026-03-01T08:00:00Z', 'NOT-COMPLETED', 'in_progress');

			const oneDay = { from: '2026-03-01', to: '2026-03-02' };
			expect((await onlyRow(s.id, oneDay)).jobs_completed).toBe(2);
			await refreshStaleFacts(db);
			const facts = await jobFacts(db, { stationId: s.id, ...oneDay });
			expect(facts.map((f) => f.job_no)).toEqual(['FIRST-MIDNIGHT', 'LAST-SECOND']);
			expect(facts[0].completed_at).toBe('2026-02-28T16:00:00.000Z');
		});

		it('bounds the period in America/New_York across the DST change', async () => {
			const s = await station('America/New_York');
			const tech = await createUser(db, s, 'ny');
			// 8 March 2026 starts at 05:00Z (EST) and ends at 04:00Z on 9 March (EDT).
			for (const [iso, jobNo] of [
				['2026-03-08T04:59:59Z', 'BEFORE'],
				['2026-03-08T05:00:00Z', 'START'],
				['2026-03-09T03:59:59Z', 'END'],
				['2026-03-09T04:00:00Z', 'AFTER']
			]) {
				await completedJob(tech, { jobNo, completedAt: new Date(iso) });
			}
			await refreshStaleFacts(db);
			const facts = await jobFacts(db, { stationId: s.id, from: '2026-03-08', to: '2026-03-09' });
			expect(facts.map((f) => f.job_no)).toEqual(['START', 'END']);
		});

		it('takes the latest follow-up carrying a satisfaction, ties by created_at then id', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const day = (n: number) => new Date(Date.UTC(2026, 2, n, 2));
			const latest = await completedJob(tech, { jobNo: 'LATEST' });
			await addFollowUp(latest, { visitedAt: day(3), satisfaction: 5 });
			await addFollowUp(latest, { visitedAt: day(5), satisfaction: 2 });
			await addFollowUp(latest, { visitedAt: day(4), satisfaction: 5 });
			await addFollowUp(latest, { visitedAt: day(6), satisfaction: null, issueResolved: true });
			const byCreated = await completedJob(tech, { jobNo: 'BY-CREATED' });
			await addFollowUp(byCreated, { visitedAt: day(4), satisfaction: 5, createdAt: day(7) });
			await addFollowUp(byCreated, { visitedAt: day(4), satisfaction: 1, createdAt: day(6) });
			const byId = await completedJob(tech, { jobNo: 'BY-ID' });
			const sameTime = { visitedAt: day(4), createdAt: day(6) };
			await addFollowUp(byId, {
				...sameTime,
				satisfaction: 3,
				id: 'ffffffff-0000-4000-8000-000000000000'
			});
			await addFollowUp(byId, {
				...sameTime,
				satisfaction: 5,
				id: '0fffffff-0000-4000-8000-000000000000'
			});
			await completedJob(tech, { jobNo: 'NO-FOLLOW-UP' });

			const facts = await factsByJobNo(s.id);
			expect(facts.get('LATEST')!.latest_satisfaction).toBe(2);
			expect(facts.get('BY-CREATED')!.latest_satisfaction).toBe(5);
			expect(facts.get('BY-ID')!.latest_satisfaction).toBe(3);
			expect(facts.get('NO-FOLLOW-UP')).toMatchObject({
				latest_satisfaction: null,
				has_follow_up: false
			});
			const row = await onlyRow(s.id);
			// Latest satisfactions 2, 5, 3: one of three is >= 4; mean 10/3; 3 of 4 jobs followed up.
			expect(row.csat).toBeCloseTo(1 / 3, 12);
			expect(row.avg_satisfaction).toBeCloseTo(10 / 3, 12);
			expect(row.follow_up_rate).toBe(0.75);
		});

		it('counts follow-ups without a satisfaction for the follow-up rate only', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const job = await completedJob(tech);
			await addFollowUp(job, { visitedAt: later(NOON, DAY) });
			await completedJob(tech);
			const row = await onlyRow(s.id);
			expect(row).toMatchObject({ csat: null, avg_satisfaction: null, follow_up_rate: 0.5 });
		});

		it('flags missing and out-of-order times among those present', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const reportedAt = minutesBefore(NOON, 180);
			await completedJob(tech, { jobNo: 'CLEAN' });
			await completedJob(tech, { jobNo: 'NO-ARRIVAL', arrivedAt: null });
			await completedJob(tech, { jobNo: 'NO-START', startedAt: null });
			await completedJob(tech, { jobNo: 'ARRIVED-EARLY', arrivedAt: minutesBefore(reportedAt, 1) });
			await completedJob(tech, {
				jobNo: 'STARTED-EARLY',
				arrivedAt: null,
				startedAt: minutesBefore(reportedAt, 1)
			});
			await completedJob(tech, { jobNo: 'STARTED-LATE', startedAt: later(NOON, MINUTE) });

			const facts = await factsByJobNo(s.id);
			const summary = (jobNo: string) => {
				const f = facts.get(jobNo)!;
				return [f.flags, f.repair_minutes, f.response_hours];
			};
			expect(summary('CLEAN')).toEqual([[], 60, 1]);
			expect(summary('NO-ARRIVAL')).toEqual([['missing_arrival'], 60, null]);
			expect(summary('NO-START')).toEqual([['missing_start'], null, 1]);
			expect(summary('ARRIVED-EARLY')).toEqual([['out_of_order'], 60, null]);
			// Started 181 minutes before completion: a repair time, but before the report.
			expect(summary('STARTED-EARLY')).toEqual([['missing_arrival', 'out_of_order'], 181, null]);
			expect(summary('STARTED-LATE')).toEqual([['out_of_order'], null, 1]);
			expect((await onlyRow(s.id)).record_accuracy).toBeCloseTo(1 / 6, 12);
		});

		it('flags repairs longer than 720 minutes', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const times = (minutes: number) => ({
				reportedAt: minutesBefore(NOON, minutes + 2),
				arrivedAt: minutesBefore(NOON, minutes + 1),
				startedAt: minutesBefore(NOON, minutes)
			});
			await completedJob(tech, { jobNo: 'LONG', ...times(721) });
			await completedJob(tech, { jobNo: 'LIMIT', ...times(720) });
			const facts = await factsByJobNo(s.id);
			expect(facts.get('LONG')!.flags).toEqual(['long_repair']);
			expect(facts.get('LIMIT')!.flags).toEqual([]);
		});

		it('leaves KPIs with an empty denominator null and renormalises the weights', async () => {
			const { station: s, tech } = await stationWithTechnician();
			await setKpiSettings(s.id, { ...DEFAULT_KPI_SETTINGS, minimums: NO_MINIMUMS });
			await completedJob(tech, { arrivedAt: null, startedAt: null });
			expect(await onlyRow(s.id)).toEqual({
				login: 'tech',
				name: 'tech 名字',
				jobs_completed: 1,
				repair_success_rate: 1,
				avg_repair_minutes: null,
				median_repair_minutes: null,
				duration_index: null,
				avg_response_hours: null,
				parts_cost_total: 0,
				parts_cost_per_job: 0,
				csat: null,
				avg_satisfaction: null,
				follow_up_rate: 0,
				record_accuracy: 0,
				// Scored: success 100 (w 0.3), follow-up 0 (w 0.1), accuracy 0 (w 0.1) → 30 / 0.5.
				score: 60,
				grade: 'pass',
				rank: null
			});
		});

		it('takes the median of an even count as the mean of the two middle values', async () => {
			const { station: s, tech } = await stationWithTechnician();
			for (const minutes of [100, 10, 40, 20]) {
				await completedJob(tech, { startedAt: minutesBefore(NOON, minutes) });
			}
			const row = await onlyRow(s.id);
			expect(row.median_repair_minutes).toBe(30);
			expect(row.avg_repair_minutes).toBe(42.5);
		});

		it('divides repair minutes by category standard minutes, 60 without a category', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const quick = await createCategory(db, s.id, 'QUICK', 30);
			const slow = await createCategory(db, s.id, 'SLOW', 500);
			await completedJob(tech, {
				jobNo: 'QUICK',
				faultCategoryId: quick.id,
				startedAt: minutesBefore(NOON, 45)
			});
			await completedJob(tech, { jobNo: 'NONE', startedAt: minutesBefore(NOON, 90) });
			// No start: no repair minutes, so its 500 standard minutes stay out of the index.
			await completedJob(tech, { jobNo: 'SLOW', faultCategoryId: slow.id, startedAt: null });

			// (45 + 90) / (30 + 60)
			expect((await onlyRow(s.id)).duration_index).toBe(1.5);
			const facts = await factsByJobNo(s.id);
			expect([...facts.values()].map((f) => [f.job_no, f.standard_minutes])).toEqual(
				expect.arrayContaining([
					['QUICK', 30],
					['NONE', 60],
					['SLOW', 500]
				])
			);
		});

		it('sums parts cost exactly in decimal', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const dimes = await completedJob(tech, { jobNo: 'DIMES' });
			for (let i = 0; i < 3; i++) await addPartLine(dimes, '1', '0.10');
			const mixed = await completedJob(tech, { jobNo: 'MIXED' });
			await addPartLine(mixed, '0.333', '3.00');
			await addPartLine(mixed, '2.5', '0.01');
			await completedJob(tech, { jobNo: 'NO-PARTS' });

			const facts = await factsByJobNo(s.id);
			expect(facts.get('DIMES')!.parts_cost).toBe(0.3); // not 0.30000000000000004
			expect(facts.get('MIXED')!.parts_cost).toBe(1.024); // 0.999 + 0.025
			expect(facts.get('NO-PARTS')!.parts_cost).toBe(0);
			const row = await onlyRow(s.id);
			expect(row.parts_cost_total).toBe(1.324);
			expect(row.parts_cost_per_job).toBeCloseTo(1.324 / 3, 12);
		});

		it('ranks 1, 1, 3 and leaves technicians below min_jobs_for_ranking unranked', async () => {
			const s = await station();
			await setStationSettings(db, s.id, { minJobsForRanking: 2 });
			await setKpiSettings(s.id, { ...DEFAULT_KPI_SETTINGS, minimums: NO_MINIMUMS });
			const [ann, bob, cat, dan] = await Promise.all(
				['ann', 'bob', 'cat', 'dan'].map((login) => createUser(db, s, login))
			);
			async function perfectJob(tech: SessionUser, values: Partial<NewJob> = {}) {
				const job = await completedJob(tech, values);
				await addFollowUp(job, {
					visitedAt: later(NOON, DAY),
					satisfaction: 5,
					issueResolved: true
				});
			}
			for (const tech of [bob, ann, cat]) await perfectJob(tech);
			await perfectJob(ann);
			await perfectJob(bob);
			await perfectJob(cat, { outcome: 'not_fixed' });
			await perfectJob(dan);

			await refreshStaleFacts(db);
			const rows = await scorecard(s.id);
			expect(rows.map((r) => [r.login, r.score, r.grade, r.rank])).toEqual([
				// Every KPI at or beyond excellent.
				['ann', 100, 'excellent', 1],
				['bob', 100, 'excellent', 1],
				// Success 1/2 scores 0 (weight 0.3); the other five score 100: 70.
				['cat', 70, 'pass', 3],
				['dan', 100, 'excellent', null]
			]);
		});

		it('scores with the station’s own thresholds and weights', async () => {
			const s = await station();
			const settings: KpiSettings = {
				thresholds: {
					...DEFAULT_KPI_SETTINGS.thresholds,
					parts_cost_per_job: { pass: 100, excellent: 50 }
				},
				weights: {
					repair_success_rate: 0,
					avg_response_hours: 0,
					duration_index: 0,
					csat: 0,
					follow_up_rate: 0,
					record_accuracy: 0,
					parts_cost_per_job: 1
				},
				minimums: NO_MINIMUMS
			};
			await setStationSettings(db, s.id, { kpiSettings: settings, minJobsForRanking: 1 });
			const thrifty = await createUser(db, s, 'thrifty');
			const careful = await createUser(db, s, 'careful');
			const average = await createUser(db, s, 'average');
			await addPartLine(await completedJob(thrifty), '1', '40.00');
			await addPartLine(await completedJob(careful), '2.5', '25.00');
			await addPartLine(await completedJob(average), '1', '75.00');

			await refreshStaleFacts(db);
			const rows = await scorecard(s.id);
			expect(rows.map((r) => [r.login, r.score, r.grade, r.rank])).toEqual([
				['thrifty', 100, 'excellent', 1], // 40 is beyond excellent (50): clamped
				['careful', 90, 'excellent', 2], // 60 + 40 × (62.5 − 100) / (50 − 100): exactly 90
				['average', 80, 'pass', 3] // 60 + 40 × (75 − 100) / (50 − 100)
			]);
		});

		it('gives no score, grade or rank when no KPI can be scored', async () => {
			const s = await station();
			const csatOnly: KpiSettings = {
				thresholds: { csat: { pass: 0.85, excellent: 0.9 }, repair_success_rate: null },
				weights: { ...DEFAULT_KPI_SETTINGS.weights, repair_success_rate: 1, csat: 1 },
				minimums: NO_MINIMUMS
			};
			for (const kpi of [
				'avg_response_hours',
				'duration_index',
				'follow_up_rate',
				'record_accuracy'
			] as const) {
				csatOnly.weights[kpi] = 0;
			}
			await setStationSettings(db, s.id, { kpiSettings: csatOnly, minJobsForRanking: 0 });
			const unrated = await createUser(db, s, 'unrated');
			const rated = await createUser(db, s, 'rated');
			await completedJob(unrated);
			const job = await completedJob(rated);
			await addFollowUp(job, { visitedAt: later(NOON, DAY), satisfaction: 4 });

			await refreshStaleFacts(db);
			const rows = await scorecard(s.id);
			expect(rows.map((r) => [r.login, r.csat, r.score, r.grade, r.rank])).toEqual([
				['rated', 1, 100, 'excellent', 1],
				['unrated', null, null, null, null]
			]);
		});

		function groundOf(kpis: KpiGround[], kpi: KpiGround['kpi']): KpiGround {
			return kpis.find((ground) => ground.kpi === kpi)!;
		}

		it('counts the sample each KPI rests on', async () => {
			const { station: s, tech } = await stationWithTechnician();
			const rated = await completedJob(tech, { jobNo: 'RATED' });
			await addFollowUp(rated, { visitedAt: later(NOON, DAY), satisfaction: 5 });
			// No arrival: no response time, but a repair time.
			await completedJob(tech, { jobNo: 'NO-ARRIVAL', arrivedAt: null });
			// No start: a response time, but no repair time.
			const unrated = await completedJob(tech, { jobNo: 'NO-START', startedAt: null });
			await addFollowUp(unrated, { visitedAt: later(NOON, DAY), issueResolved: true });
			await completedJob(tech, { jobNo: 'PLAIN' });

			await refreshStaleFacts(db);
			const [row] = (await computeScorecardWithGround(db, { stationId: s.id, ...MARCH })).ground;
			expect(row.kpis.map((ground) => [ground.kpi, ground.sample, ground.minimum])).toEqual([
				['repair_success_rate', 4, 5],
				['avg_response_hours', 3, 5],
				['duration_index', 3, 5],
				['csat', 1, 5],
				['follow_up_rate', 4, 5],
				['record_accuracy', 4, 5],
				['parts_cost_per_job', 4, 5]
			]);
			// Every KPI below the default minimum of 5: nothing scored, nothing graded.
			expect(row.kpis.every((ground) => ground.tooFew && ground.points === null)).toBe(true);
			expect(row).toMatchObject({ login: 'tech', jobs_completed: 4, score: null, grade: null });
			expect((await onlyRow(s.id)).score).toBeNull();
		});

		/**
		 * Five clean, fixed jobs, each followed up; two rated (5 and 1): satisfaction 0.5 from 2
		 * ratings (issue 13's example), every other scored KPI at or beyond excellent.
		 */
		async function twoRatingsStation() {
			const { station: s, tech } = await stationWithTechnician();
			for (const satisfaction of [5, 1, null, null, null]) {
				const job = await completedJob(tech);
				await addFollowUp(job, { visitedAt: later(NOON, DAY), satisfaction });
			}
			return s;
		}

		it('gives a KPI below its minimum sample no weight, renormalising the others', async () => {
			const s = await twoRatingsStation();
			const row = await onlyRow(s.id);
			// csat (2 ratings < 5) is too few: the other KPIs, all 100, share the weight.
			expect(row).toMatchObject({ csat: 0.5, score: 100, grade: 'excellent', rank: 1 });

			// With a minimum of 2 ratings, csat scores 0 (clamped) at weight 0.2 of 1: 80.
			await setKpiSettings(s.id, {
				...DEFAULT_KPI_SETTINGS,
				minimums: { ...DEFAULT_KPI_SETTINGS.minimums, csat: 2 }
			});
			expect(await onlyRow(s.id)).toMatchObject({ csat: 0.5, score: 80, grade: 'pass', rank: 1 });
		});

		it('reads minimums left out of stored settings as the defaults', async () => {
			const s = await twoRatingsStation();
			const { thresholds, weights } = DEFAULT_KPI_SETTINGS;
			await setStationSettings(db, s.id, {
				kpiSettings: { thresholds, weights, minimums: { csat: 2 } } as KpiSettings
			});
			await refreshStaleFacts(db);
			const [row] = (await computeScorecardWithGround(db, { stationId: s.id, ...MARCH })).ground;
			expect(groundOf(row.kpis, 'csat')).toMatchObject({ minimum: 2, tooFew: false });
			expect(groundOf(row.kpis, 'repair_success_rate')).toMatchObject({ minimum: 5 });
		});

		it('breaks the score down into points, weights and contributions that add up to it', async () => {
			const s = await twoRatingsStation();
			await refreshStaleFacts(db);
			const tooFew = (await computeScorecardWithGround(db, { stationId: s.id, ...MARCH })).ground;
			expect(groundOf(tooFew[0].kpis, 'csat')).toEqual({
				kpi: 'csat',
				value: 0.5,
				sample: 2,
				minimum: 5,
				tooFew: true,
				points: null,
				weight: 0.2,
				contribution: null
			});
			// The scored weights are 0.8: success adds 100 × 0.3 / 0.8.
			expect(groundOf(tooFew[0].kpis, 'repair_success_rate')).toMatchObject({
				value: 1,
				sample: 5,
				tooFew: false,
				points: 100,
				weight: 0.3
			});
			expect(groundOf(tooFew[0].kpis, 'repair_success_rate').contribution).toBeCloseTo(37.5, 12);
			// No thresholds: enough sample, but not scored.
			expect(groundOf(tooFew[0].kpis, 'parts_cost_per_job')).toMatchObject({
				tooFew: false,
				points: null,
				weight: 0,
				contribution: null
			});

			await setKpiSettings(s.id, {
				...DEFAULT_KPI_SETTINGS,
				minimums: { ...DEFAULT_KPI_SETTINGS.minimums, csat: 2 }
			});
			await refreshStaleFacts(db);
			const [row] = (await computeScorecardWithGround(db, { stationId: s.id, ...MARCH })).ground;
			const rounded = (value: number | null) => (value === null ? null : Number(value.toFixed(9)));
			expect(
				row.kpis.map((ground) => [ground.kpi, ground.points, rounded(ground.contribution)])
			).toEqual([
				['repair_success_rate', 100, 30],
				['avg_response_hours', 100, 15],
				['duration_index', 100, 15],
				['csat', 0, 0],
				['follow_up_rate', 100, 10],
				['record_accuracy', 100, 10],
				['parts_cost_per_job', null, null]
			]);
			for (const ground of [tooFew[0], row]) {
				const total = ground.kpis.reduce((sum, kpi) => sum + (kpi.contribution ?? 0), 0);
				expect(total).toBeCloseTo(ground.score!, 8);
			}
			// The ground is the scorecard's own statement: the same score, grade and rank.
			await refreshStaleFacts(db);
			const [scored] = await scorecard(s.id);
			expect([row.score, row.grade, row.rank]).toEqual([scored.score, scored.grade, scored.rank]);
		});

		it('lists only technicians with a completed job in the period; drill-down filters by technician', async () => {
			const s = await station();
			const busy = await createUser(db, s, 'busy');
			const idle = await createUser(db, s, 'idle');
			await completedJob(busy, { jobNo: 'B1' });
			await createJob(db, idle, { jobNo: 'I1', status: 'open' });
			await createJob(db, idle, { jobNo: 'I2', status: 'cancelled' });
			await completedJob(idle, { jobNo: 'I3', completedAt: new Date('2026-04-02T00:00:00Z') });

			await refreshStaleFacts(db);
			expect((await scorecard(s.id)).map((r) => r.login)).toEqual(['busy']);
			const idleFacts = await jobFacts(db, { stationId: s.id, ...MARCH, technicianId: idle.id });
			expect(idleFacts).toEqual([]);
			await refreshStaleFacts(db);
			const busyFacts = await jobFacts(db, { stationId: s.id, ...MARCH, technicianId: busy.id });
			expect(busyFacts.map((f) => [f.job_no, f.technician_login])).toEqual([['B1', 'busy']]);
		});

		it('rejects bad periods with a message naming the problem', async () => {
			const s = await station();
			await expect(scorecard(s.id, { from: '2026-03-02', to: '2026-03-02' })).rejects.toThrow(
				/to: must be after "from"/
			);
			await expect(scorecard(s.id, { from: '2026-02-30', to: '2026-03-02' })).rejects.toThrow(
				/from: must be a real calendar date/
			);
			await expect(
				jobFacts(db, { stationId: s.id, from: '1/3/2026', to: '2026-03-02' })
			).rejects.toThrow(/from: must be a date written YYYY-MM-DD/);
		});
	});
}
