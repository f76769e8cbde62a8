/**
 * kpi.md written a second time, as plain TypeScript over plain rows: the oracle the property
 * test compares the SQL engine against: every per-job rule, aggregate and scoring rule is
 * re-derived here independently of the SQL (scorecard.ts, job-facts.ts), the one definition
 * the application runs. Not used at run time.
 */
import {
	DEFAULT_FLOOR_MINUTES,
	DEFAULT_STANDARD_MINUTES,
	LONG_REPAIR_MINUTES,
	SCORE_DECIMALS,
	type Grade,
	type JobFact,
	type JobFailureReason,
	type JobFlag,
	type KpiPeriod,
	type ScorecardRow,
	type StationKpiRow
} from '../../shared/kpi';
import {
	SCORED_KPIS,
	type JobOutcome,
	type JobStatus,
	type KpiSettings,
	type KpiThreshold,
	type ScoredKpi
} from '../../shared/domain';
import { fromZonedInput, zonedDay } from '../../shared/time/local-time';
import { addDays } from '../../shared/time/periods';
import {
	LATE_ENTRY_MINUTES,
	type ExcludableKpi,
	type FollowUpSource,
	type JobStep,
	type StepEntry
} from '../../shared/honesty-domain';

/** The settings of a station from a date on (kpi-rules.md, "Settings versions"). */
export interface ReferenceSettings {
	reworkWindowDays: number;
	minJobsForRanking: number;
	kpiSettings: KpiSettings;
}

/** The settings above are the station's first version, in force from the beginning. */
export interface ReferenceStation extends ReferenceSettings {
	timeZone: string;
	/** Later versions, each in force from its local date 'YYYY-MM-DD' on. */
	versions?: (ReferenceSettings & { effectiveFrom: string })[];
}

export interface ReferenceJob {
	id: string;
	jobNo: string;
	technicianId: string;
	status: JobStatus;
	outcome: JobOutcome | null;
	deviceSerial: string;
	faultCategoryId: string | null;
	previousJobId: string | null;
	reportedAt: Date;
	arrivedAt: Date | null;
	startedAt: Date | null;
	completedAt: Date | null;
}

export interface ReferenceData {
	station: ReferenceStation;
	users: { id: string; login: string; name: string }[];
	/** floorMinutes: the too_fast floor, DEFAULT_FLOOR_MINUTES when left out. */
	categories: { id: string; standardMinutes: number; floorMinutes?: number }[];
	jobs: ReferenceJob[];
	/** qty and unit_cost as the decimal strings stored (numeric(12,3), numeric(12,2)). */
	jobParts: { jobId: string; qty: string; unitCost: string }[];
	followUps: {
		id: string;
		jobId: string;
		visitedAt: Date;
		createdAt: Date;
		/** Who recorded it: a technician's own follow-ups are never scored (kpi-rules.md). */
		source: FollowUpSource;
		satisfaction: number | null;
		issueResolved: boolean | null;
	}[];
	/** The station's local date now, 'YYYY-MM-DD': the scoring day of a running period. */
	today?: string;
	/** Flags a supervisor accepted (docs/kpi-rules.md): shown, not counted. */
	flagAcceptances?: { jobId: string; flag: JobFlag }[];
	/** KPIs accepted appeals took jobs out of. */
	exclusions?: { jobId: string; kpi: ExcludableKpi }[];
	/**
	 * How step times were entered (job_step_entries), in the order they were recorded: a step
	 * entered again replaces how it was entered before, so a job's step is judged by its last
	 * entry, against the job's time for that step now. notedAt: the device's clock when the
	 * change was made; null for an import, which has none.
	 */
	stepEntries?: { jobId: string; step: JobStep; entry: StepEntry; notedAt: Date | null }[];
}

/** The settings in force on a local date: the latest version effective on or before it. */
export function settingsOn(station: ReferenceStation, day: string): ReferenceSettings {
	let inForce: ReferenceSettings = station;
	let since = '';
	for (const version of station.versions ?? []) {
		if (version.effectiveFrom <= day && version.effectiveFrom > since) {
			inForce = version;
			since = version.effectiveFrom;
		}
	}
	return inForce;
}

/** A period is scored with the settings in force on its last day, or today while it runs. */
function periodSettings(data: ReferenceData, period: KpiPeriod): ReferenceSettings {
	const today = data.today ?? zonedDay(new Date(), data.station.timeZone);
	const lastDay = addDays(period.to, -1);
	return settingsOn(data.station, lastDay < today ? lastDay : today);
}

/** The instant of local midnight starting `date` in `timeZone`. */
function localMidnight(date: string, timeZone: string): number {
	return fromZonedInput(`${date}T00:00`, timeZone)!.getTime();
}

/**
 * kpi.md: serials match "trimmed, case-insensitive". Trimmed as String.prototype.trim does (every
 * Unicode white space and line end, tabs, U+00A0 and U+3000 included), which the generated
 * device_serial_key column spells out character by character.
 */
function serialKey(serial: string): string {
	return serial.trim().toLowerCase();
}

/** A decimal string as an exact integer count of 10^-scale units. */
function scaledDecimal(value: string, scale: number): bigint {
	const [whole, fraction = ''] = value.split('.');
	return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
}

/** Sum of qty × unit_cost in exact 10^-5 units (3 + 2 decimals). */
const COST_SCALE = 5;

function decimalToNumber(units: bigint, scale: number): number {
	const digits = units.toString().padStart(scale + 1, '0');
	return Number(`${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}

function uuidOrder(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

interface FactWithExactCost extends JobFact {
	partsCostUnits: bigint;
	repairMs: number | null;
	responseMs: number | null;
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string | null): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const key = keyOf(row);
		if (key === null) continue;
		const group = groups.get(key);
		if (group) group.push(row);
		else groups.set(key, [row]);
	}
	return groups;
}

function computeFacts(
	data: ReferenceData,
	period: KpiPeriod,
	technicianId?: string
): FactWithExactCost[] {
	const { station } = data;
	const start = localMidnight(period.from, station.timeZone);
	const end = localMidnight(period.to, station.timeZone);
	// The rework window of the version in force on the job's local completion date.
	const windowMs = (job: ReferenceJob) =>
		settingsOn(station, zonedDay(job.completedAt!, station.timeZone)).reworkWindowDays *
		24 *
		3600 *
		1000;
	const usersById = new Map(data.users.map((u) => [u.id, u]));
	const minutesByCategory = new Map(data.categories.map((c) => [c.id, c.standardMinutes]));
	const floorByCategory = new Map(
		data.categories.map((c) => [c.id, c.floorMinutes ?? DEFAULT_FLOOR_MINUTES])
	);

	// Lookups by job, built once: the rules below read like the spec, but each job's reworks,
	// follow-ups and parts come from these instead of a scan of every row (the benchmark's
	// naive version loads a whole station through this function).
	const linkedTo = groupBy(data.jobs, (r) => r.previousJobId);
	const sameSerial = groupBy(data.jobs, (r) => serialKey(r.deviceSerial) || null);
	const followUpsOf = groupBy(
		data.followUps.filter((f) => f.source !== 'technician'),
		(f) => f.jobId
	);
	const partsOf = groupBy(data.jobParts, (p) => p.jobId);
	const lastEntryOf = new Map(
		(data.stepEntries ?? []).map((e) => [`${e.jobId} ${e.step}`, e] as const)
	);
	const acceptedOf = (jobId: string) =>
		new Set((data.flagAcceptances ?? []).filter((a) => a.jobId === jobId).map((a) => a.flag));

	const periodJobs = data.jobs.filter(
		(job) =>
			job.status === 'completed' &&
			job.completedAt !== null &&
			job.completedAt.getTime() >= start &&
			job.completedAt.getTime() < end &&
			(technicianId === undefined || job.technicianId === technicianId)
	);

	const facts = periodJobs.map((job): FactWithExactCost => {
		const completed = job.completedAt!.getTime();
		const key = serialKey(job.deviceSerial);
		const candidates = new Set([
			...(linkedTo.get(job.id) ?? []),
			...(key === '' ? [] : (sameSerial.get(key) ?? []))
		]);
		const reworks = [...candidates].filter((r) => {
			if (r.status === 'cancelled' || r.id === job.id) return false;
			if (r.previousJobId === job.id) return true;
			if (key === '' || serialKey(r.deviceSerial) !== key) return false;
			const reported = r.reportedAt.getTime();
			return reported > completed && reported <= completed + windowMs(job);
		});
		const followUps = followUpsOf.get(job.id) ?? [];
		const rated = followUps
			.filter((f) => f.satisfaction !== null)
			.sort(
				(a, b) =>
					b.visitedAt.getTime() - a.visitedAt.getTime() ||
					b.createdAt.getTime() - a.createdAt.getTime() ||
					uuidOrder(b.id, a.id)
			);

		const failureReasons: JobFailureReason[] = [];
		if (job.outcome !== 'fixed') failureReasons.push('not_fixed');
		if (followUps.some((f) => f.issueResolved === false))
			failureReasons.push('follow_up_unresolved');
		if (reworks.length > 0) failureReasons.push('reworked');

		const reported = job.reportedAt.getTime();
		const arrived = job.arrivedAt?.getTime() ?? null;
		const started = job.startedAt?.getTime() ?? null;
		const repairMs = started !== null && completed >= started ? completed - started : null;
		const responseMs = arrived !== null && arrived >= reported ? arrived - reported : null;
		const present = [reported, arrived, started, completed].filter((t) => t !== null);
		const flags: JobFlag[] = [];
		if (arrived === null) flags.push('missing_arrival');
		if (started === null) flags.push('missing_start');
		if (present.some((t, i) => i > 0 && t < present[i - 1])) flags.push('out_of_order');
		if (repairMs !== null && repairMs > LONG_REPAIR_MINUTES * 60_000) flags.push('long_repair');
		// The job's step times as they stand, each with the last entry of how it was entered (a
		// step without a time has none: clearing a time removes its entry, kpi-rules.md).
		const entered = (
			[
				['arrived', arrived],
				['started', started],
				['completed', completed]
			] as const
		).flatMap(([step, time]) => {
			const last = lastEntryOf.get(`${job.id} ${step}`);
			return last && time !== null ? [{ ...last, time }] : [];
		});
		if (entered.some((e) => e.entry === 'typed')) flags.push('typed_time');
		const lateMs = LATE_ENTRY_MINUTES * 60_000;
		if (entered.some((e) => e.notedAt !== null && Math.abs(e.time - e.notedAt.getTime()) > lateMs))
			flags.push('late_entry');
		if (arrived !== null && started !== null) {
			const steps = [arrived, started, completed];
			if (Math.max(...steps) - Math.min(...steps) < 60_000) flags.push('same_minute');
		}
		const floorMinutes =
			(job.faultCategoryId === null ? undefined : floorByCategory.get(job.faultCategoryId)) ??
			DEFAULT_FLOOR_MINUTES;
		if (repairMs !== null && repairMs < floorMinutes * 60_000) flags.push('too_fast');

		const partsCostUnits = (partsOf.get(job.id) ?? []).reduce(
			(sum, p) => sum + scaledDecimal(p.qty, 3) * scaledDecimal(p.unitCost, 2),
			0n
		);
		const technician = usersById.get(job.technicianId)!;
		return {
			job_id: job.id,
			job_no: job.jobNo,
			technician_id: job.technicianId,
			technician_login: technician.login,
			technician_name: technician.name,
			completed_at: job.completedAt!.toISOString(),
			success: failureReasons.length === 0,
			failure_reasons: failureReasons,
			reworked_by: reworks.map((r) => r.jobNo).sort(),
			repair_minutes: repairMs === null ? null : repairMs / 60_000,
			standard_minutes:
				(job.faultCategoryId && minutesByCategory.get(job.faultCategoryId)) ||
				DEFAULT_STANDARD_MINUTES,
			response_hours: responseMs === null ? null : responseMs / 3_600_000,
			parts_cost: decimalToNumber(partsCostUnits, COST_SCALE),
			flags: flags.filter((flag) => !acceptedOf(job.id).has(flag)),
			accepted_flags: flags.filter((flag) => acceptedOf(job.id).has(flag)),
			excluded_kpis: (data.exclusions ?? [])
				.filter((x) => x.jobId === job.id)
				.map((x) => x.kpi)
				.sort(),
			latest_satisfaction: rated[0]?.satisfaction ?? null,
			has_follow_up: followUps.length > 0,
			partsCostUnits,
			repairMs,
			responseMs
		};
	});
	return facts.sort(
		(a, b) =>
			a.completed_at.localeCompare(b.completed_at) ||
			(a.job_no < b.job_no ? -1 : a.job_no > b.job_no ? 1 : 0)
	);
}

export function referenceJobFacts(
	data: ReferenceData,
	period: KpiPeriod,
	technicianId?: string
): JobFact[] {
	return computeFacts(data, period, technicianId).map(
		({ partsCostUnits: _cost, repairMs: _repair, responseMs: _response, ...fact }) => fact
	);
}

function mean(values: number[]): number | null {
	return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = (sorted.length - 1) / 2;
	const low = sorted[Math.floor(middle)];
	const high = sorted[Math.ceil(middle)];
	return low + (high - low) * (middle - Math.floor(middle));
}

/** kpi.md's aggregates and score over a group of jobs: a technician's, or the station's. */
function aggregateRow(jobs: FactWithExactCost[], settings: KpiSettings): StationKpiRow {
	const count = jobs.length;
	const repairMs = jobs.flatMap((j) => (j.repairMs === null ? [] : [j.repairMs]));
	const timed = jobs.filter((j) => j.repairMs !== null);
	const standardMinutes = timed.reduce((sum, j) => sum + j.standard_minutes, 0);
	const responseMs = jobs.flatMap((j) => (j.responseMs === null ? [] : [j.responseMs]));
	const costUnits = jobs.reduce((sum, j) => sum + j.partsCostUnits, 0n);
	const partsCostTotal = decimalToNumber(costUnits, COST_SCALE);
	const satisfactions = jobs.flatMap((j) =>
		j.latest_satisfaction === null ? [] : [j.latest_satisfaction]
	);
	// An accepted appeal takes a job out of that KPI, numerator and denominator.
	const successJobs = jobs.filter((j) => !j.excluded_kpis.includes('repair_success_rate'));
	const accuracyJobs = jobs.filter((j) => !j.excluded_kpis.includes('record_accuracy'));
	const rate = (counted: FactWithExactCost[], good: (j: FactWithExactCost) => boolean) =>
		counted.length ? counted.filter(good).length / counted.length : null;
	const values: Record<ScoredKpi, number | null> = {
		repair_success_rate: rate(successJobs, (j) => j.success),
		avg_response_hours: responseMs.length ? mean(responseMs)! / 3_600_000 : null,
		duration_index: timed.length
			? repairMs.reduce((a, b) => a + b, 0) / 60_000 / standardMinutes
			: null,
		csat: satisfactions.length
			? satisfactions.filter((s) => s >= 4).length / satisfactions.length
			: null,
		follow_up_rate: jobs.filter((j) => j.has_follow_up).length / count,
		record_accuracy: rate(accuracyJobs, (j) => j.flags.length === 0),
		parts_cost_per_job: partsCostTotal / count
	};
	// docs/kpi-rules.md "Minimum samples": what each value's denominator counted.
	const samples: Record<ScoredKpi, number> = {
		repair_success_rate: successJobs.length,
		avg_response_hours: responseMs.length,
		duration_index: timed.length,
		csat: satisfactions.length,
		follow_up_rate: count,
		record_accuracy: accuracyJobs.length,
		parts_cost_per_job: count
	};
	const score = compositeScore(values, samples, settings);
	return {
		jobs_completed: count,
		repair_success_rate: values.repair_success_rate,
		avg_repair_minutes: repairMs.length ? mean(repairMs)! / 60_000 : null,
		median_repair_minutes: median(repairMs.map((ms) => ms / 60_000)),
		duration_index: values.duration_index,
		avg_response_hours: values.avg_response_hours,
		parts_cost_total: partsCostTotal,
		parts_cost_per_job: values.parts_cost_per_job,
		csat: values.csat,
		avg_satisfaction: mean(satisfactions),
		follow_up_rate: values.follow_up_rate,
		record_accuracy: values.record_accuracy,
		score,
		grade: gradeFor(score)
	};
}

export function referenceScorecard(data: ReferenceData, period: KpiPeriod): ScorecardRow[] {
	const facts = computeFacts(data, period);
	const byTechnician = new Map<string, FactWithExactCost[]>();
	for (const fact of facts) {
		const jobs = byTechnician.get(fact.technician_id);
		if (jobs) jobs.push(fact);
		else byTechnician.set(fact.technician_id, [fact]);
	}
	const settings = periodSettings(data, period);
	const rows = [...byTechnician.values()].map((jobs): ScorecardRow => ({
		login: jobs[0].technician_login,
		name: jobs[0].technician_name,
		...aggregateRow(jobs, settings.kpiSettings),
		rank: null
	}));
	const ranks = competitionRanks(
		rows.map((row) => ({ score: row.score, jobsCompleted: row.jobs_completed })),
		settings.minJobsForRanking
	);
	rows.forEach((row, i) => (row.rank = ranks[i]));
	return rows.sort(
		(a, b) =>
			(a.rank ?? Infinity) - (b.rank ?? Infinity) ||
			(a.login < b.login ? -1 : a.login > b.login ? 1 : 0)
	);
}

/** The station's own row: every completed job of the period as one group; null without any. */
export function referenceStationKpis(data: ReferenceData, period: KpiPeriod): StationKpiRow | null {
	const facts = computeFacts(data, period);
	return facts.length === 0 ? null : aggregateRow(facts, periodSettings(data, period).kpiSettings);
}

// Scoring (kpi.md "Scoring"), as scorecard.ts computes it in SQL.

/**
 * A KPI's score: 60 + 40 * (value - pass) / (excellent - pass), clamped to [0, 100]. The same
 * formula serves lower-is-better KPIs (there excellent < pass). Null when the value is null or
 * the KPI has no usable thresholds (absent, or pass = excellent, which has no scale).
 */
export function kpiScore(
	value: number | null,
	threshold: KpiThreshold | null | undefined
): number | null {
	if (value === null || !threshold || threshold.excellent === threshold.pass) return null;
	const raw = 60 + (40 * (value - threshold.pass)) / (threshold.excellent - threshold.pass);
	return Math.max(0, Math.min(100, raw));
}

/** A KPI's weight in the composite: its configured weight, 0 when absent. */
function kpiWeight(settings: KpiSettings, kpi: ScoredKpi): number {
	return settings.weights[kpi] ?? 0;
}

/**
 * The composite score: the weighted mean of the scored KPIs (weight > 0, a sample of at least
 * the KPI's minimum, and a KPI score), weights renormalised over those; null when none is
 * scored. Summed in SCORED_KPIS order, the order the SQL uses too, then rounded to
 * SCORE_DECIMALS, so both agree to the bit.
 */
export function compositeScore(
	values: Record<ScoredKpi, number | null>,
	samples: Record<ScoredKpi, number>,
	settings: KpiSettings
): number | null {
	let weightedSum = 0;
	let weightTotal = 0;
	for (const kpi of SCORED_KPIS) {
		const weight = kpiWeight(settings, kpi);
		const enough = samples[kpi] >= settings.minimums[kpi];
		const score = weight > 0 && enough ? kpiScore(values[kpi], settings.thresholds[kpi]) : null;
		if (score === null) continue;
		weightedSum += weight * score;
		weightTotal += weight;
	}
	if (weightTotal === 0) return null;
	return roundScore(weightedSum / weightTotal);
}

/** Rounds half to even, like Postgres' round(float8) (C rint), so both sides round alike. */
export function roundScore(score: number): number {
	const scale = 10 ** SCORE_DECIMALS;
	const scaled = score * scale;
	const floor = Math.floor(scaled);
	const fraction = scaled - floor;
	let rounded = fraction > 0.5 ? floor + 1 : floor;
	if (fraction === 0.5) rounded = floor % 2 === 0 ? floor : floor + 1;
	return rounded / scale;
}

export function gradeFor(score: number | null): Grade | null {
	if (score === null) return null;
	if (score >= 90) return 'excellent';
	if (score >= 60) return 'pass';
	return 'fail';
}

/**
 * Standard competition ranks (1, 1, 3) by descending score over the technicians with at least
 * `minJobs` completed jobs. A technician without a score cannot be placed, so gets null too.
 */
export function competitionRanks(
	entries: readonly { score: number | null; jobsCompleted: number }[],
	minJobs: number
): (number | null)[] {
	const eligible = (e: { score: number | null; jobsCompleted: number }) =>
		e.score !== null && e.jobsCompleted >= minJobs;
	return entries.map((entry) => {
		if (!eligible(entry)) return null;
		const better = entries.filter((other) => eligible(other) && other.score! > entry.score!);
		return better.length + 1;
	});
}
