/**
 * Property test: for random small stations, the SQL engine agrees with the plain TypeScript
 * reference of kpi.md (reference.ts). Times are whole hours (plus an occasional second) around
 * the Shanghai and New York midnights and the US DST change of 8 March 2026, so period
 * boundaries, rework windows and timestamp ties are hit often. Step entries (how each step time
 * was entered, job_step_entries) are written as the app writes them, a step entered again
 * replacing its entry, with device clocks on and around the late_entry tolerance.
 *
 * Counts, grades, ranks, logins, flags and parts cost compare exactly; other numbers with a
 * relative tolerance of 1e-9 (numeric vs float arithmetic). Composite scores are rounded to 9
 * decimals on both sides before grading and ranking (SCORE_DECIMALS), so ties agree.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import {
	EXCLUDABLE_KPIS,
	FOLLOW_UP_SOURCES,
	JOB_STEPS,
	LATE_ENTRY_MINUTES,
	type StepEntry
} from '../../shared/honesty-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import {
	faultCategories,
	followUps,
	jobFlagAcceptances,
	jobKpiExclusions,
	jobParts,
	jobs,
	parts,
	users
} from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, setStationSettings } from '../testing/fixtures';
import { ON_CONFLICT_UPDATE } from '../jobs/step-times';
import { SCORED_KPIS, JOB_STATUSES, type KpiSettings } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import type { JobFlag } from '../../shared/kpi';
import { computeScorecard } from './scorecard';
import { jobFacts } from './job-facts';
import { computeStationKpis } from './station-kpis';
import {
	referenceJobFacts,
	referenceScorecard,
	referenceStationKpis,
	type ReferenceData,
	type ReferenceJob
} from './reference';
import { refreshStaleFacts } from './fact-refresh';

const HOUR = 3_600_000;
const LATE_ENTRY_MS = LATE_ENTRY_MINUTES * 60_000;
/** 00:00 UTC on 5 March 2026. */
const BASE = Date.UTC(2026, 2, 5);
const RUNS = Number(process.env.KPI_PROPERTY_RUNS || 400);

const EXACT_KEYS = new Set([
	'login',
	'name',
	'jobs_completed',
	'grade',
	'rank',
	'parts_cost_total',
	'parts_cost',
	'standard_minutes',
	'latest_satisfaction'
]);

const uuid = (prefix: number, index: number) =>
	`${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * What spreadsheets leave around a serial: ASCII space, tab, CR LF, no-break space (U+00A0),
 * ideographic space (U+3000) and a byte order mark, all of which "trimmed" removes.
 */
const SERIAL_PADDINGS = ['', ' ', '  ', '\t', '\r\n', '\u00a0', '\u3000', '\ufeff'];

/**
 * A whole hour on one of 14 days, at hours that are local midnights in the test zones
 * (16:00Z Shanghai, 05:00Z / 04:00Z New York, 00:00Z UTC) or not, sometimes a second off.
 */
const instantArb = fc
	.tuple(
		fc.integer({ min: -1, max: 12 }),
		fc.constantFrom(0, 4, 5, 9, 16),
		fc.constantFrom(0, 0, 0, 1, -1)
	)
	.map(([day, hour, seconds]) => BASE + (day * 24 + hour) * HOUR + seconds * 1000);

/**
 * The device's clock when a step time was recorded, after (or before) that time: on it, a second
 * off, on the late_entry tolerance either way and a millisecond, second or minute beyond or
 * short of it, or days later.
 */
const notedAfterArb = fc.constantFrom(
	0,
	0,
	0,
	1000,
	-1000,
	LATE_ENTRY_MS,
	-LATE_ENTRY_MS,
	LATE_ENTRY_MS + 1,
	-LATE_ENTRY_MS - 1,
	LATE_ENTRY_MS + 1000,
	-LATE_ENTRY_MS - 1000,
	LATE_ENTRY_MS - 1000,
	LATE_ENTRY_MS + 60_000,
	LATE_ENTRY_MS - 60_000,
	3 * 24 * HOUR
);

const offsetArb = (min: number, max: number) =>
	fc.option(fc.integer({ min, max }), { nil: null, freq: 4 });

const thresholdArb = fc.option(
	fc.record({
		pass: fc.constantFrom(0, 0.5, 0.8, 0.9, 1, 1.2, 12, 24, 50),
		excellent: fc.constantFrom(0, 0.5, 0.9, 0.95, 1, 6, 12, 30)
	}),
	{ nil: null, freq: 3 }
);

const settingsArb: fc.Arbitrary<KpiSettings> = fc.oneof(
	fc.constant(DEFAULT_KPI_SETTINGS),
	fc
		.tuple(
			fc.array(thresholdArb, { minLength: SCORED_KPIS.length, maxLength: SCORED_KPIS.length }),
			fc.array(fc.constantFrom(0, 0.1, 0.15, 0.2, 0.3, 1), {
				minLength: SCORED_KPIS.length,
				maxLength: SCORED_KPIS.length
			}),
			// Minimum samples around the handful of jobs a generated technician has.
			fc.array(fc.constantFrom(0, 1, 2, 3, 5), {
				minLength: SCORED_KPIS.length,
				maxLength: SCORED_KPIS.length
			})
		)
		.map(([thresholds, weights, minimums]) => ({
			thresholds: Object.fromEntries(SCORED_KPIS.map((kpi, i) => [kpi, thresholds[i]])),
			weights: Object.fromEntries(SCORED_KPIS.map((kpi, i) => [kpi, weights[i]])) as Record<
				(typeof SCORED_KPIS)[number],
				number
			>,
			minimums: Object.fromEntries(SCORED_KPIS.map((kpi, i) => [kpi, minimums[i]])) as Record<
				(typeof SCORED_KPIS)[number],
				number
			>
		}))
);

const jobArb = fc.record({
	technician: fc.nat(),
	status: fc.constantFrom(...JOB_STATUSES, 'completed', 'completed', 'completed'),
	fixed: fc.constantFrom(true, true, true, false),
	/** Open or cancelled jobs may carry a completion time too; only status decides. */
	completedTimeWhileNotCompleted: fc.boolean(),
	category: fc.option(fc.nat(), { nil: null }),
	// Two serials in spellings that must match, plus blanks and an inner space that must not.
	serial: fc.oneof(
		fc.constantFrom('', 'AB12', 'XY9', 'AB 12'),
		fc
			.tuple(
				fc.constantFrom(...SERIAL_PADDINGS),
				fc.constantFrom('', 'AB12', 'ab12', 'Ab12', 'xy9', 'AB\u300012'),
				fc.constantFrom(...SERIAL_PADDINGS)
			)
			.map(([before, serial, after]) => `${before}${serial}${after}`)
	),
	previous: fc.option(fc.nat(), { nil: null, freq: 4 }),
	reported: instantArb,
	/**
	 * Sometimes reported relative to an earlier job's completion instead: 0–3 days later, to
	 * the second or one second off, with a spelling variant of its serial (window edges).
	 */
	revisit: fc.option(
		fc.record({
			of: fc.nat(),
			days: fc.integer({ min: 0, max: 3 }),
			offsetMs: fc.constantFrom(0, 0, 1000, -1000),
			upperCase: fc.boolean(),
			padding: fc.constantFrom(...SERIAL_PADDINGS)
		}),
		{ nil: null, freq: 2 }
	),
	arrivedAfter: offsetArb(-1, 3),
	startedAfter: offsetArb(-1, 4),
	completedAfter: fc.constantFrom(-1, 0, 0, 1, 2, 5, 12, 13, 16, 24),
	// A supervisor's acceptances (any flag: only raised ones count) and appeals' exclusions.
	acceptedFlags: fc.subarray<JobFlag>([
		'missing_arrival',
		'missing_start',
		'out_of_order',
		'typed_time',
		'late_entry',
		'too_fast'
	]),
	/**
	 * How its step times were entered, in the order recorded (a step may come twice or more: the
	 * last counts). Only steps the job has a time for keep one, as clearing a time removes it.
	 */
	stepEntries: fc.array(
		fc.record({
			step: fc.constantFrom(...JOB_STEPS),
			entry: fc.constantFrom<StepEntry>('tap', 'tap', 'typed', 'import'),
			notedAfterMs: notedAfterArb
		}),
		{ maxLength: 4 }
	),
	excludedKpis: fc.subarray([...EXCLUDABLE_KPIS]),
	parts: fc.array(
		fc.record({
			qty: fc.constantFrom('1', '0.5', '3', '0.333', '2.125'),
			unitCost: fc.constantFrom('0.10', '0.01', '12.34', '0.00', '99.99')
		}),
		{ maxLength: 3 }
	),
	followUps: fc.array(
		fc.record({
			visitedHour: fc.integer({ min: 0, max: 6 }),
			createdHour: fc.integer({ min: 0, max: 1 }),
			idPrefix: fc.nat(),
			source: fc.constantFrom(...FOLLOW_UP_SOURCES),
			satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
			issueResolved: fc.option(fc.boolean(), { nil: null, freq: 2 })
		}),
		{ maxLength: 3 }
	)
});

const scenarioArb = fc.record({
	timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC'),
	reworkWindowDays: fc.integer({ min: 1, max: 3 }),
	minJobsForRanking: fc.integer({ min: 0, max: 3 }),
	settings: settingsArb,
	logins: fc.uniqueArray(fc.constantFrom('ann', 'Bob', 'bob', 'a.b', 'ab', 'z-1', 'Z_2'), {
		minLength: 1,
		maxLength: 4
	}),
	categoryMinutes: fc.array(fc.constantFrom(15, 30, 60, 90, 240), { maxLength: 2 }),
	jobs: fc.array(jobArb, { maxLength: 16 }),
	periodStartDay: fc.integer({ min: -1, max: 6 }),
	periodDays: fc.integer({ min: 1, max: 8 })
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Another spelling of a serial that must still match it: maybe upper-cased, maybe padded. */
function respelled(serial: string, spelling: { upperCase: boolean; padding: string }): string {
	const letters = spelling.upperCase ? serial.toUpperCase() : serial;
	return `${spelling.padding}${letters}${spelling.padding}`;
}

/** The scenario as rows: what is inserted and what the reference reads. */
function buildData(scenario: Scenario): ReferenceData {
	const userRows = scenario.logins.map((login, i) => ({
		id: uuid(0xa, i),
		login,
		name: `${login.toUpperCase()} 名`
	}));
	const categories = scenario.categoryMinutes.map((standardMinutes, i) => ({
		id: uuid(0xc, i),
		standardMinutes
	}));
	const jobRows: ReferenceJob[] = [];
	const jobPartRows: ReferenceData['jobParts'] = [];
	const followUpRows: ReferenceData['followUps'] = [];
	const acceptanceRows: NonNullable<ReferenceData['flagAcceptances']> = [];
	const exclusionRows: NonNullable<ReferenceData['exclusions']> = [];
	const stepEntryRows: NonNullable<ReferenceData['stepEntries']> = [];
	scenario.jobs.forEach((job, i) => {
		const revisited = job.revisit && i > 0 ? jobRows[job.revisit.of % i] : null;
		const reported =
			revisited?.completedAt && job.revisit
				? revisited.completedAt.getTime() + job.revisit.days * 24 * HOUR + job.revisit.offsetMs
				: job.reported;
		const serial =
			revisited && job.revisit ? respelled(revisited.deviceSerial, job.revisit) : job.serial;
		const at = (hours: number | null) =>
			hours === null ? null : new Date(reported + hours * HOUR);
		const completed = job.status === 'completed' || job.completedTimeWhileNotCompleted;
		const id = uuid(0x10b, i);
		jobRows.push({
			id,
			jobNo: `J${i}`,
			technicianId: userRows[job.technician % userRows.length].id,
			status: job.status,
			outcome: job.status === 'completed' ? (job.fixed ? 'fixed' : 'not_fixed') : null,
			deviceSerial: serial,
			faultCategoryId:
				job.category === null || categories.length === 0
					? null
					: categories[job.category % categories.length].id,
			previousJobId: job.previous === null || i === 0 ? null : jobRows[job.previous % i].id,
			reportedAt: new Date(reported),
			arrivedAt: at(job.arrivedAfter),
			startedAt: at(job.startedAfter),
			completedAt: completed ? at(job.completedAfter) : null
		});
		for (const line of job.parts) jobPartRows.push({ jobId: id, ...line });
		for (const flag of job.acceptedFlags) acceptanceRows.push({ jobId: id, flag });
		for (const kpi of job.excludedKpis) exclusionRows.push({ jobId: id, kpi });
		const row = jobRows[i];
		const stepTimes = {
			arrived: row.arrivedAt,
			started: row.startedAt,
			completed: row.completedAt
		};
		for (const { step, entry, notedAfterMs } of job.stepEntries) {
			const time = stepTimes[step];
			if (!time) continue;
			// An import has no device clock (kpi-rules.md).
			const notedAt = entry === 'import' ? null : new Date(time.getTime() + notedAfterMs);
			stepEntryRows.push({ jobId: id, step, entry, notedAt });
		}
		job.followUps.forEach((f, k) =>
			followUpRows.push({
				id: uuid(f.idPrefix, i * 10 + k),
				jobId: id,
				visitedAt: new Date(BASE + (3 * 24 + f.visitedHour) * HOUR),
				createdAt: new Date(BASE + f.createdHour * HOUR),
				source: f.source,
				satisfaction: f.satisfaction,
				issueResolved: f.issueResolved
			})
		);
	});
	return {
		station: {
			timeZone: scenario.timeZone,
			reworkWindowDays: scenario.reworkWindowDays,
			minJobsForRanking: scenario.minJobsForRanking,
			kpiSettings: scenario.settings
		},
		users: userRows,
		categories,
		jobs: jobRows,
		jobParts: jobPartRows,
		followUps: followUpRows,
		flagAcceptances: acceptanceRows,
		exclusions: exclusionRows,
		stepEntries: stepEntryRows
	};
}

async function insertStation(db: Database, code: string, data: ReferenceData) {
	const station = await createStation(db, code, data.station.timeZone);
	const stationId = station.id;
	await setStationSettings(db, stationId, {
		reworkWindowDays: data.station.reworkWindowDays,
		minJobsForRanking: data.station.minJobsForRanking,
		kpiSettings: data.station.kpiSettings
	});
	await db.insert(users).values(data.users.map((u) => ({ stationId, ...u })));
	if (data.categories.length) {
		await db
			.insert(faultCategories)
			.values(data.categories.map((c) => ({ stationId, code: c.id, name: c.id, ...c })));
	}
	if (data.jobs.length) await db.insert(jobs).values(data.jobs.map((j) => ({ stationId, ...j })));
	if (data.jobParts.length) {
		const [part] = await db
			.insert(parts)
			.values({ stationId, sku: 'ANY', name: 'any', unitCost: '1.00' })
			.returning();
		await db.insert(jobParts).values(
			data.jobParts.map((line, i) => ({
				stationId,
				id: uuid(0xd, i),
				partId: part.id,
				...line
			}))
		);
	}
	if (data.followUps.length) {
		await db.insert(followUps).values(data.followUps.map((f) => ({ stationId, ...f })));
	}
	const decidedBy = data.users[0]?.id;
	if (data.flagAcceptances?.length && decidedBy) {
		await db.insert(jobFlagAcceptances).values(
			data.flagAcceptances.map((a) => ({
				stationId,
				...a,
				reason: 'checked',
				acceptedBy: decidedBy
			}))
		);
	}
	if (data.exclusions?.length && decidedBy) {
		await db
			.insert(jobKpiExclusions)
			.values(data.exclusions.map((x) => ({ stationId, ...x, reason: 'appeal', decidedBy })));
	}
	await insertStepEntries(db, stationId, data.stepEntries ?? []);
	return stationId;
}

/**
 * Writes step entries the way the app does, a step entered again replacing its entry
 * (ON_CONFLICT_UPDATE): one statement for each job's first entry of a step, one for the second…
 * An INSERT cannot update a row it inserted, and this keeps the statements to a few per station.
 */
async function insertStepEntries(
	db: Database,
	stationId: string,
	entries: NonNullable<ReferenceData['stepEntries']>
) {
	const rounds: (typeof entries)[] = [];
	const timesEntered = new Map<string, number>();
	for (const entry of entries) {
		const key = `${entry.jobId} ${entry.step}`;
		const round = timesEntered.get(key) ?? 0;
		timesEntered.set(key, round + 1);
		(rounds[round] ??= []).push(entry);
	}
	for (const round of rounds) {
		await db.execute(sql`
			INSERT INTO job_step_entries (station_id, job_id, step, entry, noted_at)
			SELECT ${stationId}::uuid, e."jobId", e.step, e.entry, e."notedAt"
			FROM jsonb_to_recordset(${JSON.stringify(round)}::text::jsonb)
				AS e("jobId" uuid, step text, entry text, "notedAt" timestamptz)
			${ON_CONFLICT_UPDATE}`);
	}
}

/** Differences between two results: exact for EXACT_KEYS and non-numbers, else ~1e-9. */
function differences(actual: unknown, expected: unknown, path = '$', key = ''): string[] {
	if (typeof actual === 'number' && typeof expected === 'number' && !EXACT_KEYS.has(key)) {
		const scale = Math.max(1, Math.abs(expected));
		return Math.abs(actual - expected) <= 1e-9 * scale ? [] : [`${path}: ${actual} ≠ ${expected}`];
	}
	if (Array.isArray(actual) && Array.isArray(expected)) {
		if (actual.length !== expected.length) {
			return [`${path}: ${actual.length} items ≠ ${expected.length}`];
		}
		return actual.flatMap((item, i) => differences(item, expected[i], `${path}[${i}]`, key));
	}
	if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
		const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
		return [...keys].flatMap((k) =>
			differences(
				(actual as Record<string, unknown>)[k],
				(expected as Record<string, unknown>)[k],
				`${path}.${k}`,
				k
			)
		);
	}
	return Object.is(actual, expected)
		? []
		: [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
}

for (const engine of testEngines()) {
	describe(`KPI engine vs reference on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(() => handle.close());

		it('computeScorecard, computeStationKpis and jobFacts equal the reference for random stations', async () => {
			let stationNumber = 0;
			await fc.assert(
				fc.asyncProperty(scenarioArb, async (scenario) => {
					stationNumber += 1;
					const data = buildData(scenario);
					const stationId = await insertStation(handle.db, `PROP${stationNumber}`, data);
					const start = BASE + scenario.periodStartDay * 24 * HOUR;
					const period = {
						from: isoDate(start),
						to: isoDate(start + scenario.periodDays * 24 * HOUR)
					};

					await refreshStaleFacts(handle.db);
					const facts = await jobFacts(handle.db, { stationId, ...period });
					expect(differences(facts, referenceJobFacts(data, period))).toEqual([]);
					await refreshStaleFacts(handle.db);
					const rows = await computeScorecard(handle.db, { stationId, ...period });
					expect(differences(rows, referenceScorecard(data, period))).toEqual([]);
					await refreshStaleFacts(handle.db);
					const station = await computeStationKpis(handle.db, { stationId, ...period });
					expect(differences(station, referenceStationKpis(data, period))).toEqual([]);
				}),
				{ numRuns: RUNS }
			);
		}, 300_000);
	});
}
