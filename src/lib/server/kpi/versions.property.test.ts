/**
 * Property test of effective-dated settings (docs/kpi-rules.md, "Settings versions"): for random
 * small stations and a random settings version (thresholds, weights, rework window, ranking
 * minimum) effective from a random date,
 * - every month that ended before that date keeps exactly the scorecard it had without it
 *   (grades, scores, ranks, values), by month and in the monthly trends alike;
 * - every month equals the reference (reference.ts, which reads the version in force on a
 *   period's last day and, for reworks, on each job's completion date);
 * - a version effective today scores the running period, which then equals the reference scored
 *   with that version's settings alone.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, jobs, kpiSettingsVersions, users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, setStationSettings } from '../testing/fixtures';
import { SCORED_KPIS, type KpiSettings } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { zonedDay } from '../../shared/time/local-time';
import { addDays, periodContaining } from '../../shared/time/periods';
import { refreshStaleFacts } from './fact-refresh';
import { computeScorecard } from './scorecard';
import { monthlyScorecards } from './trends';
import {
	referenceScorecard,
	type ReferenceData,
	type ReferenceJob,
	type ReferenceSettings
} from './reference';

const HOUR = 3_600_000;
/** 00:00 UTC on 1 January 2026: the three months Jan–Mar 2026 are the window. */
const BASE = Date.UTC(2026, 0, 1);
const WINDOW_DAYS = 90;
const MONTHS = [
	{ from: '2026-01-01', to: '2026-02-01' },
	{ from: '2026-02-01', to: '2026-03-01' },
	{ from: '2026-03-01', to: '2026-04-01' }
];
const RUNS = Number(process.env.KPI_PROPERTY_RUNS || 60);

const uuid = (prefix: number, index: number) =>
	`${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

const thresholdArb = fc.option(
	fc.record({
		pass: fc.constantFrom(0, 0.5, 0.8, 0.9, 1, 1.2, 12, 24),
		excellent: fc.constantFrom(0, 0.5, 0.9, 0.95, 1, 6, 12, 30)
	}),
	{ nil: null, freq: 3 }
);

const kpiSettingsArb: fc.Arbitrary<KpiSettings> = fc.oneof(
	fc.constant(DEFAULT_KPI_SETTINGS),
	fc
		.tuple(
			fc.array(thresholdArb, { minLength: SCORED_KPIS.length, maxLength: SCORED_KPIS.length }),
			fc.array(fc.constantFrom(0, 0.1, 0.2, 0.3, 1), {
				minLength: SCORED_KPIS.length,
				maxLength: SCORED_KPIS.length
			})
		)
		.map(([thresholds, weights]) => ({
			thresholds: Object.fromEntries(SCORED_KPIS.map((kpi, i) => [kpi, thresholds[i]])),
			weights: Object.fromEntries(SCORED_KPIS.map((kpi, i) => [kpi, weights[i]])) as Record<
				(typeof SCORED_KPIS)[number],
				number
			>,
			// Small stations: minimums of one, so most KPIs are scored.
			minimums: Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, 1])) as Record<
				(typeof SCORED_KPIS)[number],
				number
			>
		}))
);

const settingsArb: fc.Arbitrary<ReferenceSettings> = fc.record({
	kpiSettings: kpiSettingsArb,
	reworkWindowDays: fc.integer({ min: 1, max: 20 }),
	minJobsForRanking: fc.integer({ min: 0, max: 3 })
});

const jobArb = fc.record({
	technician: fc.nat(),
	/** Local day of the window, and an hour that is a local midnight in a test zone or not. */
	day: fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
	hour: fc.constantFrom(0, 4, 5, 9, 16),
	fixed: fc.constantFrom(true, true, false),
	serial: fc.constantFrom('', 'AB12', 'XY9'),
	arrivedAfter: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null, freq: 5 }),
	repairHours: fc.constantFrom(0, 1, 2, 5),
	satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null })
});

const scenarioArb = fc.record({
	timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York'),
	base: settingsArb,
	version: settingsArb,
	/** The version's effective date: a day of the window, or the day after it. */
	effectiveDay: fc.integer({ min: 0, max: WINDOW_DAYS }),
	logins: fc.uniqueArray(fc.constantFrom('ann', 'bob', 'cat', 'dan'), {
		minLength: 1,
		maxLength: 3
	}),
	jobs: fc.array(jobArb, { maxLength: 14 })
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
type Job = typeof jobArb extends fc.Arbitrary<infer T> ? T : never;

/** The scenario's rows, the jobs reported at `reportedAt(job)`. */
function buildData(
	scenario: Pick<Scenario, 'timeZone' | 'base' | 'logins'>,
	jobList: Job[],
	reportedAt: (job: Job) => number
): ReferenceData {
	const userRows = scenario.logins.map((login, i) => ({ id: uuid(0xa, i), login, name: login }));
	const jobRows: ReferenceJob[] = [];
	const followUpRows: ReferenceData['followUps'] = [];
	jobList.forEach((job, i) => {
		const reported = reportedAt(job);
		const arrived = job.arrivedAfter === null ? null : reported + job.arrivedAfter * 60_000;
		const started = arrived ?? reported;
		const id = uuid(0x10b, i);
		jobRows.push({
			id,
			jobNo: `J${i}`,
			technicianId: userRows[job.technician % userRows.length].id,
			status: 'completed',
			outcome: job.fixed ? 'fixed' : 'not_fixed',
			deviceSerial: job.serial,
			faultCategoryId: null,
			previousJobId: null,
			reportedAt: new Date(reported),
			arrivedAt: arrived === null ? null : new Date(arrived),
			startedAt: new Date(started),
			completedAt: new Date(started + job.repairHours * HOUR)
		});
		if (job.satisfaction !== null) {
			followUpRows.push({
				id: uuid(0xf, i),
				jobId: id,
				visitedAt: new Date(started + 30 * HOUR),
				createdAt: new Date(started + 30 * HOUR),
				source: 'desk',
				satisfaction: job.satisfaction,
				issueResolved: null
			});
		}
	});
	return {
		station: { timeZone: scenario.timeZone, ...scenario.base },
		users: userRows,
		categories: [],
		jobs: jobRows,
		jobParts: [],
		followUps: followUpRows
	};
}

async function insertStation(db: Database, code: string, data: ReferenceData) {
	const { id: stationId } = await createStation(db, code, data.station.timeZone);
	await setStationSettings(db, stationId, {
		kpiSettings: data.station.kpiSettings,
		reworkWindowDays: data.station.reworkWindowDays,
		minJobsForRanking: data.station.minJobsForRanking
	});
	await db.insert(users).values(data.users.map((u) => ({ stationId, ...u })));
	if (data.jobs.length) await db.insert(jobs).values(data.jobs.map((j) => ({ stationId, ...j })));
	if (data.followUps.length) {
		await db.insert(followUps).values(data.followUps.map((f) => ({ stationId, ...f })));
	}
	return stationId;
}

/** Differences between two results: exact for strings, counts and nulls, else ~1e-9. */
function differences(actual: unknown, expected: unknown, path = '$'): string[] {
	if (typeof actual === 'number' && typeof expected === 'number') {
		const scale = Math.max(1, Math.abs(expected));
		return Math.abs(actual - expected) <= 1e-9 * scale ? [] : [`${path}: ${actual} ≠ ${expected}`];
	}
	if (Array.isArray(actual) && Array.isArray(expected)) {
		if (actual.length !== expected.length) {
			return [`${path}: ${actual.length} items ≠ ${expected.length}`];
		}
		return actual.flatMap((item, i) => differences(item, expected[i], `${path}[${i}]`));
	}
	if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
		const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
		return [...keys].flatMap((k) =>
			differences(
				(actual as Record<string, unknown>)[k],
				(expected as Record<string, unknown>)[k],
				`${path}.${k}`
			)
		);
	}
	return Object.is(actual, expected)
		? []
		: [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
}

for (const engine of testEngines()) {
	describe(`settings versions on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationNumber = 0;
		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(() => handle.close());

		it('never change the scorecard of a month that ended before the version took effect', async () => {
			await fc.assert(
				fc.asyncProperty(scenarioArb, async (scenario) => {
					stationNumber += 1;
					const data = buildData(
						scenario,
						scenario.jobs,
						(job) => BASE + (job.day * 24 + job.hour) * HOUR
					);
					const db = handle.db;
					const stationId = await insertStation(db, `VER${stationNumber}`, data);
					const byMonth = async () => {
						await refreshStaleFacts(db);
						return Promise.all(
							MONTHS.map((month) => computeScorecard(db, { stationId, ...month }))
						);
					};
					const before = await byMonth();

					const effectiveFrom = addDays(MONTHS[0].from, scenario.effectiveDay);
					await db.insert(kpiSettingsVersions).values({
						stationId,
						effectiveFrom,
						...scenario.version
					});
					const after = await byMonth();
					const versioned: ReferenceData = {
						...data,
						station: { ...data.station, versions: [{ effectiveFrom, ...scenario.version }] }
					};
					MONTHS.forEach((month, i) => {
						// Ended before the version: exactly as before, grades and scores included.
						if (month.to <= effectiveFrom) expect(after[i]).toEqual(before[i]);
						expect(differences(after[i], referenceScorecard(versioned, month))).toEqual([]);
					});
					// The trends score each month with its own version too.
					const trend = await monthlyScorecards(db, {
						stationId,
						firstMonth: '2026-01',
						months: MONTHS.length
					});
					const trendByMonth = MONTHS.map((month) =>
						trend
							.filter((row) => row.month === month.from.slice(0, 7))
							.map(({ month: _, ...row }) => row)
					);
					expect(trendByMonth).toEqual(after);
				}),
				{ numRuns: RUNS }
			);
		}, 300_000);

		it('score the running period with a version effective today', async () => {
			await fc.assert(
				fc.asyncProperty(scenarioArb, async (scenario) => {
					stationNumber += 1;
					// Jobs completed in the last hours: the running month, scored with today's version.
					const now = Date.now();
					const data = buildData(
						scenario,
						scenario.jobs,
						(job) => now - (job.repairHours + 1) * HOUR - (job.arrivedAfter ?? 0) * 60_000
					);
					const db = handle.db;
					const stationId = await insertStation(db, `RUN${stationNumber}`, data);
					const today = zonedDay(new Date(now), scenario.timeZone);
					const running = periodContaining('month', today);
					await db.insert(kpiSettingsVersions).values({
						stationId,
						effectiveFrom: today,
						...scenario.version
					});
					await refreshStaleFacts(db);
					const rows = await computeScorecard(db, { stationId, ...running });
					const onlyVersion: ReferenceData = {
						...data,
						station: { ...data.station, ...scenario.version },
						today
					};
					expect(differences(rows, referenceScorecard(onlyVersion, running))).toEqual([]);
				}),
				{ numRuns: Math.ceil(RUNS / 3) }
			);
		}, 300_000);
	});
}
