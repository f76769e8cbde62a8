/**
 * A station's own rules, editable by its supervisors only: KPI thresholds and weights
 * (typed in, or derived with AHP), the rework window, the minimum jobs for ranking and the
 * fault categories. Nobody else may read or change them (roles.md).
 *
 * Every change writes settings_audit rows (who, when, subject, old value, new value) in the
 * transaction that makes it, so a change and its record stand or fall together. The station
 * row is locked (SELECT … FOR UPDATE) first, so concurrent edits queue and every "old value"
 * in the audit is the value the change really replaced.
 *
 * Validation problems are BAD_REQUEST errors whose cause is a ZodError: API clients get the
 * field path and an English message, and each issue carries `params.problem` (a
 * SettingsProblem) plus its numbers, so the settings page can say the same in the reader's
 * language.
 */
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z, ZodRealError } from 'zod';
import type { Database, Queryable } from '../db';
import { queryRows } from '../db/rows';
import { faultCategories, settingsAudit, stations, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import {
	SCORED_KPIS,
	type KpiSettings,
	type KpiThreshold,
	type ScoredKpi
} from '../../shared/domain';
import { m } from '../../paraglide/messages.js';
import { roleName } from '../../shared/role-names';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { DEFAULT_STANDARD_MINUTES } from '../../shared/kpi';
import { ahpWeights } from '../../shared/ahp';

/** kpi.md, "better" column: which way a scored KPI improves. */
export const KPI_BETTER: Record<ScoredKpi, 'higher' | 'lower'> = {
	repair_success_rate: 'higher',
	avg_response_hours: 'lower',
	duration_index: 'lower',
	csat: 'higher',
	follow_up_rate: 'higher',
	record_accuracy: 'higher',
	parts_cost_per_job: 'lower'
};

/** What a KPI's values are: rates are fractions in [0, 1] (the page shows percents). */
export const KPI_UNIT: Record<ScoredKpi, 'rate' | 'hours' | 'index' | 'money'> = {
	repair_success_rate: 'rate',
	avg_response_hours: 'hours',
	duration_index: 'index',
	csat: 'rate',
	follow_up_rate: 'rate',
	record_accuracy: 'rate',
	parts_cost_per_job: 'money'
};

/** kpi.md defaults of the station's ranking rules (the column defaults of `stations`). */
export const DEFAULT_REWORK_WINDOW_DAYS = 30;
export const DEFAULT_MIN_JOBS_FOR_RANKING = 5;

export const REWORK_WINDOW_DAYS_RANGE = { min: 1, max: 365 } as const;
export const MIN_JOBS_FOR_RANKING_RANGE = { min: 0, max: 1000 } as const;
/** A day of hands-on work; longer standard times would make every job look fast. */
export const STANDARD_MINUTES_RANGE = { min: 1, max: 1440 } as const;
/** kpi.md: AHP compares at least three KPIs (with two, weights are just one judgement). */
export const AHP_MIN_KPIS = 3;

export const SETTINGS_PROBLEMS = [
	'not_a_number',
	'out_of_range',
	'rate_out_of_range',
	'negative',
	'threshold_incomplete',
	'threshold_equal',
	'excellent_not_above_pass',
	'excellent_not_below_pass',
	'weight_without_threshold',
	'nothing_scored',
	'required',
	'too_long',
	'code_format',
	'code_taken',
	'nothing_to_change',
	'ahp_too_few',
	'ahp_duplicate',
	'ahp_matrix_size',
	'ahp_matrix_invalid',
	'ahp_inconsistent',
	'ahp_kpi_not_scored'
] as const;
export type SettingsProblem = (typeof SETTINGS_PROBLEMS)[number];

function addProblem(
	ctx: z.RefinementCtx,
	path: PropertyKey[],
	problem: SettingsProblem,
	message: string,
	params: Record<string, unknown> = {}
) {
	ctx.addIssue({ code: 'custom', path, message, params: { problem, ...params } });
}

/** A BAD_REQUEST shaped like an input validation error, for rules that need the database. */
function invalidInput(
	path: PropertyKey[],
	problem: SettingsProblem,
	message: string,
	params: Record<string, unknown> = {},
	code: 'BAD_REQUEST' | 'CONFLICT' = 'BAD_REQUEST'
): TRPCError {
	return new TRPCError({
		code,
		message: `${path.join('.')}: ${message}`,
		// ZodRealError is the Error subclass zod's parse throws; tRPC keeps Errors as the cause.
		cause: new ZodRealError([
			{ code: 'custom', path, message, params: { problem, ...params }, input: undefined }
		])
	});
}

/** A finite number: NaN and ±Infinity (an unparsable form field) are "not a number" too. */
const numberValue = z.custom<number>(
	(value) => typeof value === 'number' && Number.isFinite(value),
	{ message: 'must be a number', params: { problem: 'not_a_number' } }
);

function wholeNumberIn(range: { min: number; max: number }) {
	return numberValue.refine(
		(value) => Number.isInteger(value) && value >= range.min && value <= range.max,
		{
			message: `must be a whole number from ${range.min} to ${range.max}`,
			params: { problem: 'out_of_range', ...range }
		}
	);
}

function requiredText(max: number) {
	return z
		.string({ error: 'must be text' })
		.trim()
		.refine((text) => text.length > 0, {
			message: 'is required',
			params: { problem: 'required' }
		})
		.refine((text) => text.length <= max, {
			message: `must be at most ${max} characters`,
			params: { problem: 'too_long', max }
		});
}

// ---------------------------------------------------------------------------------------------
// KPI thresholds and weights

const thresholdInputSchema = z
	.object({ pass: numberValue.nullable(), excellent: numberValue.nullable() })
	.nullable()
	.optional();

/**
 * Thresholds and weights for every scored KPI, shaped like the stored KpiSettings. A threshold
 * of null (or pass and excellent both null) means "not scored". Weights are relative: they are
 * stored normalised to sum 1 (scoring renormalises over the scored KPIs anyway, so only their
 * ratios matter; normalised values read as shares).
 */
export const kpiSettingsInputSchema = z
	.object({
		thresholds: z.object(
			Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, thresholdInputSchema])) as Record<
				ScoredKpi,
				typeof thresholdInputSchema
			>
		),
		weights: z.object(
			Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, numberValue])) as Record<
				ScoredKpi,
				typeof numberValue
			>
		)
	})
	.superRefine((input, ctx) => {
		let anyInvalid = false;
		let scoredWeight = 0;
		for (const kpi of SCORED_KPIS) {
			const threshold = checkThreshold(ctx, kpi, input.thresholds[kpi]);
			const weight = input.weights[kpi];
			if (threshold === 'invalid') anyInvalid = true;
			if (weight < 0) {
				addProblem(ctx, ['weights', kpi], 'negative', 'must not be negative');
				anyInvalid = true;
			} else if (weight > 0 && threshold === 'none') {
				addProblem(
					ctx,
					['weights', kpi],
					'weight_without_threshold',
					'a KPI without thresholds is not scored: set its weight to 0 or give it thresholds'
				);
				anyInvalid = true;
			} else if (threshold === 'valid') {
				scoredWeight += weight;
			}
		}
		// Only meaningful once every row is valid: a fixed row may be the one that scores.
		if (!anyInvalid && scoredWeight === 0) {
			addProblem(
				ctx,
				['weights'],
				'nothing_scored',
				'at least one KPI needs thresholds and a weight above 0, or no one gets a score'
			);
		}
	})
	.transform((input): KpiSettings => {
		const total = SCORED_KPIS.reduce((sum, kpi) => sum + input.weights[kpi], 0);
		const thresholds: KpiSettings['thresholds'] = {};
		const weights = {} as KpiSettings['weights'];
		for (const kpi of SCORED_KPIS) {
			const threshold = input.thresholds[kpi];
			thresholds[kpi] =
				threshold && threshold.pass !== null && threshold.excellent !== null
					? { pass: threshold.pass, excellent: threshold.excellent }
					: null;
			weights[kpi] = input.weights[kpi] / total;
		}
		return { thresholds, weights };
	});
export type KpiSettingsInput = z.input<typeof kpiSettingsInputSchema>;

/** Adds the threshold's problems. 'none': both values empty, so the KPI is not scored. */
function checkThreshold(
	ctx: z.RefinementCtx,
	kpi: ScoredKpi,
	threshold: z.infer<typeof thresholdInputSchema>
): 'none' | 'invalid' | 'valid' {
	if (!threshold || (threshold.pass === null && threshold.excellent === null)) return 'none';
	const path = (field: keyof KpiThreshold) => ['thresholds', kpi, field];
	let valid = true;
	for (const field of ['pass', 'excellent'] as const) {
		const value = threshold[field];
		if (value === null) {
			addProblem(
				ctx,
				path(field),
				'threshold_incomplete',
				'enter both pass and excellent, or leave both empty to stop scoring this KPI'
			);
			valid = false;
		} else if (KPI_UNIT[kpi] === 'rate' && (value < 0 || value > 1)) {
			addProblem(ctx, path(field), 'rate_out_of_range', 'is a rate: must be from 0 to 1');
			valid = false;
		} else if (value < 0) {
			addProblem(ctx, path(field), 'negative', 'must not be negative');
			valid = false;
		}
	}
	if (!valid || threshold.pass === null || threshold.excellent === null) return 'invalid';
	if (threshold.pass === threshold.excellent) {
		addProblem(ctx, path('excellent'), 'threshold_equal', 'must differ from pass');
		return 'invalid';
	}
	if (KPI_BETTER[kpi] === 'higher' && threshold.excellent < threshold.pass) {
		addProblem(
			ctx,
			path('excellent'),
			'excellent_not_above_pass',
			'higher is better for this KPI, so excellent must be above pass'
		);
		return 'invalid';
	}
	if (KPI_BETTER[kpi] === 'lower' && threshold.excellent > threshold.pass) {
		addProblem(
			ctx,
			path('excellent'),
			'excellent_not_below_pass',
			'lower is better for this KPI, so excellent must be below pass'
		);
		return 'invalid';
	}
	return 'valid';
}

/** The station's thresholds and weights as scoring reads them: absent means not scored / 0. */
function effectiveKpiSettings(stored: Partial<KpiSettings> | null): KpiSettings {
	const thresholds: KpiSettings['thresholds'] = {};
	const weights = {} as KpiSettings['weights'];
	for (const kpi of SCORED_KPIS) {
		thresholds[kpi] = stored?.thresholds?.[kpi] ?? null;
		weights[kpi] = stored?.weights?.[kpi] ?? 0;
	}
	return { thresholds, weights };
}

/** One KPI's rule as the audit records it. */
export interface KpiRule {
	threshold: KpiThreshold | null;
	weight: number;
}

function kpiRule(settings: KpiSettings, kpi: ScoredKpi): KpiRule {
	return { threshold: settings.thresholds[kpi] ?? null, weight: settings.weights[kpi] };
}

function sameRule(a: KpiRule, b: KpiRule): boolean {
	return (
		a.weight === b.weight &&
		a.threshold?.pass === b.threshold?.pass &&
		a.threshold?.excellent === b.threshold?.excellent
	);
}

// ---------------------------------------------------------------------------------------------
// AHP

/**
 * AHP weights for some of the KPIs: `matrix[i][j]` says how much more important `kpis[i]` is
 * than `kpis[j]` on Saaty's 1–9 scale. The server recomputes the weights and the consistency
 * ratio from the matrix (shared/ahp.ts) and refuses CR >= 0.10, naming the CR, λmax and the
 * weights it refused in the issue's params.
 */
export const ahpApplyInputSchema = z
	.object({
		kpis: z.array(z.enum(SCORED_KPIS, { error: 'is not a scored KPI' })),
		matrix: z.array(z.array(numberValue))
	})
	.transform(({ kpis, matrix }, ctx) => {
		if (kpis.length < AHP_MIN_KPIS) {
			addProblem(ctx, ['kpis'], 'ahp_too_few', `choose at least ${AHP_MIN_KPIS} KPIs to compare`, {
				min: AHP_MIN_KPIS
			});
			return z.NEVER;
		}
		const duplicate = kpis.findIndex((kpi, index) => kpis.indexOf(kpi) !== index);
		if (duplicate >= 0) {
			addProblem(ctx, ['kpis', duplicate], 'ahp_duplicate', `${kpis[duplicate]} is listed twice`);
			return z.NEVER;
		}
		if (matrix.length !== kpis.length || matrix.some((row) => row.length !== kpis.length)) {
			addProblem(
				ctx,
				['matrix'],
				'ahp_matrix_size',
				`must be ${kpis.length}×${kpis.length}, one row and column per KPI in kpis`
			);
			return z.NEVER;
		}
		const result = ahpWeights(matrix);
		if (!result.ok && result.refusal === 'invalid_matrix') {
			addProblem(ctx, ['matrix'], 'ahp_matrix_invalid', result.reason);
			return z.NEVER;
		}
		if (!result.ok) {
			// The derived figures go along with the refusal, so a client can show how far the
			// judgements are from consistent and what they would have weighed.
			addProblem(ctx, ['matrix'], 'ahp_inconsistent', result.reason, {
				cr: result.cr,
				lambdaMax: result.lambdaMax,
				weights: Object.fromEntries(kpis.map((kpi, index) => [kpi, result.weights[index]]))
			});
			return z.NEVER;
		}
		const { weights, lambdaMax, ci, cr } = result;
		return { kpis, matrix, weights, lambdaMax, ci, cr };
	});

/** What the audit keeps of an applied AHP: enough to redo the computation by hand. */
export interface AhpRecord {
	kpis: ScoredKpi[];
	matrix: number[][];
	lambdaMax: number;
	ci: number;
	cr: number;
	weights: Record<ScoredKpi, number>;
}

// ---------------------------------------------------------------------------------------------
// Ranking rules and fault categories

export const rankingRulesInputSchema = z
	.object({
		reworkWindowDays: wholeNumberIn(REWORK_WINDOW_DAYS_RANGE).optional(),
		minJobsForRanking: wholeNumberIn(MIN_JOBS_FOR_RANKING_RANGE).optional()
	})
	.superRefine((input, ctx) => {
		if (input.reworkWindowDays === undefined && input.minJobsForRanking === undefined) {
			addProblem(ctx, [], 'nothing_to_change', 'give reworkWindowDays, minJobsForRanking or both');
		}
	});

const CATEGORY_CODE = /^[A-Za-z0-9_-]{1,32}$/;

export const newFaultCategoryInputSchema = z.object({
	code: z
		.string({ error: 'must be text' })
		.trim()
		.refine((code) => code.length > 0, { message: 'is required', params: { problem: 'required' } })
		.refine((code) => code === '' || CATEGORY_CODE.test(code), {
			message: 'may contain only letters, digits, "_" and "-" (at most 32)',
			params: { problem: 'code_format' }
		}),
	name: requiredText(100),
	standardMinutes: wholeNumberIn(STANDARD_MINUTES_RANGE).default(DEFAULT_STANDARD_MINUTES)
});

export const faultCategoryChangeInputSchema = z
	.object({
		id: z.uuid('must be a fault category id (UUID)'),
		name: requiredText(100).optional(),
		standardMinutes: wholeNumberIn(STANDARD_MINUTES_RANGE).optional(),
		active: z.boolean({ error: 'must be true or false' }).optional()
	})
	.superRefine((input, ctx) => {
		if (
			input.name === undefined &&
			input.standardMinutes === undefined &&
			input.active === undefined
		) {
			addProblem(ctx, [], 'nothing_to_change', 'give name, standardMinutes, active or several');
		}
	});

export const settingsHistoryInputSchema = z.object({
	page: z.number().int().min(1).default(1),
	pageSize: z.number().int().min(1).max(100).default(20)
});

interface FaultCategoryValue {
	name: string;
	standardMinutes: number;
	active: boolean;
}

// ---------------------------------------------------------------------------------------------
// Audit subjects and how their stored values read back

const KPI_SUBJECT = 'kpi:';
const AHP_SUBJECT = 'kpi_weights:ahp';
const CATEGORY_SUBJECT = 'fault_category:';

const thresholdValueSchema = z.object({ pass: z.number(), excellent: z.number() });
const kpiRuleValueSchema = z.object({
	threshold: thresholdValueSchema.nullable(),
	weight: z.number()
});
const weightsValueSchema = z.record(z.enum(SCORED_KPIS), z.number());
const ahpRecordSchema = z.object({
	kpis: z.array(z.enum(SCORED_KPIS)),
	matrix: z.array(z.array(z.number())),
	lambdaMax: z.number(),
	ci: z.number(),
	cr: z.number(),
	weights: weightsValueSchema
});
const categoryValueSchema = z.object({
	name: z.string(),
	standardMinutes: z.number(),
	active: z.boolean()
});

/** An audit row's change, read back into the shape its subject was written with. */
export type SettingsChange =
	| { kind: 'kpi'; kpi: ScoredKpi; old: KpiRule | null; new: KpiRule | null }
	| { kind: 'ahp'; old: Partial<Record<ScoredKpi, number>> | null; new: AhpRecord }
	| { kind: 'rework_window_days' | 'min_jobs_for_ranking'; old: number | null; new: number | null }
	| {
			kind: 'fault_category';
			code: string;
			old: FaultCategoryValue | null;
			new: FaultCategoryValue | null;
	  }
	/** Written by something this module does not know (kept readable, never hidden). */
	| { kind: 'other'; old: unknown; new: unknown };

function parsedOrNull<T>(schema: z.ZodType<T>, value: unknown): T | null {
	const parsed = schema.nullable().safeParse(value);
	return parsed.success ? parsed.data : null;
}

function readChange(subject: string, oldValue: unknown, newValue: unknown): SettingsChange {
	const other: SettingsChange = { kind: 'other', old: oldValue, new: newValue };
	if (subject.startsWith(KPI_SUBJECT)) {
		const kpi = z.enum(SCORED_KPIS).safeParse(subject.slice(KPI_SUBJECT.length));
		const old = kpiRuleValueSchema.nullable().safeParse(oldValue);
		const next = kpiRuleValueSchema.nullable().safeParse(newValue);
		if (!kpi.success || !old.success || !next.success) return other;
		return { kind: 'kpi', kpi: kpi.data, old: old.data, new: next.data };
	}
	if (subject === AHP_SUBJECT) {
		const next = ahpRecordSchema.safeParse(newValue);
		if (!next.success) return other;
		return { kind: 'ahp', old: parsedOrNull(weightsValueSchema, oldValue), new: next.data };
	}
	if (subject === 'rework_window_days' || subject === 'min_jobs_for_ranking') {
		const old = z.number().nullable().safeParse(oldValue);
		const next = z.number().nullable().safeParse(newValue);
		if (!old.success || !next.success) return other;
		return { kind: subject, old: old.data, new: next.data };
	}
	if (subject.startsWith(CATEGORY_SUBJECT)) {
		const old = categoryValueSchema.nullable().safeParse(oldValue);
		const next = categoryValueSchema.nullable().safeParse(newValue);
		if (!old.success || !next.success) return other;
		return {
			kind: 'fault_category',
			code: subject.slice(CATEGORY_SUBJECT.length),
			old: old.data,
			new: next.data
		};
	}
	return other;
}

// ---------------------------------------------------------------------------------------------
// Service

/** Station settings are for supervisors (roles.md); anyone else is refused with the reason. */
function requireSettingsEditor(user: SessionUser) {
	if (user.role !== 'supervisor') {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: m.acc2_settings_supervisors_only({ role: roleName(user.role) })
		});
	}
}

interface AuditRow {
	subject: string;
	oldValue: unknown;
	newValue: unknown;
}

async function writeAudit(tx: Queryable, user: SessionUser, rows: AuditRow[]) {
	if (rows.length === 0) return;
	await tx.insert(settingsAudit).values(
		rows.map((row) => ({
			stationId: user.stationId,
			userId: user.id,
			subject: row.subject,
			oldValue: row.oldValue,
			newValue: row.newValue
		}))
	);
}

/** The caller's station row, locked until the transaction ends. */
async function lockStation(tx: Queryable, user: SessionUser) {
	const [station] = await tx
		.select({
			reworkWindowDays: stations.reworkWindowDays,
			minJobsForRanking: stations.minJobsForRanking,
			kpiSettings: stations.kpiSettings
		})
		.from(stations)
		.where(eq(stations.id, user.stationId))
		.for('update');
	if (!station) {
		throw new TRPCError({ code: 'NOT_FOUND', message: m.srv_station_gone() });
	}
	return { ...station, kpiSettings: effectiveKpiSettings(station.kpiSettings) };
}

export interface FaultCategorySetting extends FaultCategoryValue {
	id: string;
	code: string;
	/** Jobs that name this category: why categories are deactivated, never deleted. */
	jobCount: number;
}

export interface StationSettings {
	timeZone: string;
	reworkWindowDays: number;
	minJobsForRanking: number;
	kpi: KpiSettings;
	defaults: { kpi: KpiSettings; reworkWindowDays: number; minJobsForRanking: number };
	faultCategories: FaultCategorySetting[];
	/** The judgements of the last AHP applied, so the supervisor can start from them. */
	lastAhp: (AhpRecord & { changedAt: Date }) | null;
}

export async function readStationSettings(
	db: Database,
	user: SessionUser
): Promise<StationSettings> {
	requireSettingsEditor(user);
	const [[station], categories, [lastAhpRow]] = await Promise.all([
		db
			.select({
				timeZone: stations.timeZone,
				reworkWindowDays: stations.reworkWindowDays,
				minJobsForRanking: stations.minJobsForRanking,
				kpiSettings: stations.kpiSettings
			})
			.from(stations)
			.where(eq(stations.id, user.stationId)),
		queryRows<FaultCategorySetting>(
			db,
			sql`
			select c.id::text as "id", c.code as "code", c.name as "name",
				c.standard_minutes::int as "standardMinutes", c.active as "active",
				(select count(*) from jobs j
					where j.station_id = c.station_id and j.fault_category_id = c.id)::int as "jobCount"
			from fault_categories c
			where c.station_id = ${user.stationId}
			order by c.active desc, c.code collate "C"`
		),
		db
			.select({ newValue: settingsAudit.newValue, changedAt: settingsAudit.changedAt })
			.from(settingsAudit)
			.where(
				and(eq(settingsAudit.stationId, user.stationId), eq(settingsAudit.subject, AHP_SUBJECT))
			)
			.orderBy(desc(settingsAudit.changedAt))
			.limit(1)
	]);
	if (!station) throw new TRPCError({ code: 'NOT_FOUND', message: m.srv_station_gone() });
	const lastAhp = lastAhpRow ? ahpRecordSchema.safeParse(lastAhpRow.newValue) : null;
	return {
		timeZone: station.timeZone,
		reworkWindowDays: station.reworkWindowDays,
		minJobsForRanking: station.minJobsForRanking,
		kpi: effectiveKpiSettings(station.kpiSettings),
		defaults: {
			kpi: effectiveKpiSettings(DEFAULT_KPI_SETTINGS),
			reworkWindowDays: DEFAULT_REWORK_WINDOW_DAYS,
			minJobsForRanking: DEFAULT_MIN_JOBS_FOR_RANKING
		},
		faultCategories: categories,
		lastAhp:
			lastAhp?.success && lastAhpRow ? { ...lastAhp.data, changedAt: lastAhpRow.changedAt } : null
	};
}

/** Stores new thresholds and weights; one audit row per KPI whose rule changed. */
async function replaceKpiSettings(
	tx: Queryable,
	user: SessionUser,
	current: KpiSettings,
	next: KpiSettings
): Promise<number> {
	const rows: AuditRow[] = [];
	for (const kpi of SCORED_KPIS) {
		const before = kpiRule(current, kpi);
		const after = kpiRule(next, kpi);
		if (!sameRule(before, after)) {
			rows.push({ subject: `${KPI_SUBJECT}${kpi}`, oldValue: before, newValue: after });
		}
	}
	if (rows.length === 0) return 0;
	await tx
		.update(stations)
		.set({ kpiSettings: next, updatedAt: sql`now()` })
		.where(eq(stations.id, user.stationId));
	await writeAudit(tx, user, rows);
	return rows.length;
}

export interface SettingsChangeResult {
	/** How many settings changed (audit rows written); 0 when the input matched what is stored. */
	changed: number;
}

/** Sets every scored KPI's thresholds and weight (input validated by kpiSettingsInputSchema). */
export async function updateKpiSettings(
	db: Database,
	user: SessionUser,
	settings: KpiSettings
): Promise<SettingsChangeResult> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const station = await lockStation(tx, user);
		return { changed: await replaceKpiSettings(tx, user, station.kpiSettings, settings) };
	});
}

/** Back to kpi.md's default thresholds and weights. */
export async function resetKpiSettings(
	db: Database,
	user: SessionUser
): Promise<SettingsChangeResult> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const station = await lockStation(tx, user);
		const defaults = effectiveKpiSettings(DEFAULT_KPI_SETTINGS);
		return { changed: await replaceKpiSettings(tx, user, station.kpiSettings, defaults) };
	});
}

/**
 * Weights from an accepted AHP: the compared KPIs get their AHP weights, every other KPI 0.
 * Thresholds stay. One audit row keeps the matrix, λmax, CI and CR next to the weights.
 */
export async function applyAhpWeights(
	db: Database,
	user: SessionUser,
	input: z.output<typeof ahpApplyInputSchema>
): Promise<SettingsChangeResult & { weights: Record<ScoredKpi, number>; cr: number }> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const station = await lockStation(tx, user);
		input.kpis.forEach((kpi, index) => {
			if (!station.kpiSettings.thresholds[kpi]) {
				throw invalidInput(
					['kpis', index],
					'ahp_kpi_not_scored',
					`${kpi} has no thresholds, so it is not scored; give it thresholds before weighting it`,
					{ kpi }
				);
			}
		});
		const weights = Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, 0])) as Record<
			ScoredKpi,
			number
		>;
		input.kpis.forEach((kpi, index) => (weights[kpi] = input.weights[index]));
		const record: AhpRecord = {
			kpis: input.kpis,
			matrix: input.matrix,
			lambdaMax: input.lambdaMax,
			ci: input.ci,
			cr: input.cr,
			weights
		};
		await tx
			.update(stations)
			.set({ kpiSettings: { ...station.kpiSettings, weights }, updatedAt: sql`now()` })
			.where(eq(stations.id, user.stationId));
		await writeAudit(tx, user, [
			{ subject: AHP_SUBJECT, oldValue: station.kpiSettings.weights, newValue: record }
		]);
		return { changed: 1, weights, cr: input.cr };
	});
}

/** The rework window (days) and the minimum completed jobs for a rank. */
export async function updateRankingRules(
	db: Database,
	user: SessionUser,
	input: z.output<typeof rankingRulesInputSchema>
): Promise<SettingsChangeResult> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const station = await lockStation(tx, user);
		const rows: AuditRow[] = [];
		if (
			input.reworkWindowDays !== undefined &&
			input.reworkWindowDays !== station.reworkWindowDays
		) {
			rows.push({
				subject: 'rework_window_days',
				oldValue: station.reworkWindowDays,
				newValue: input.reworkWindowDays
			});
		}
		if (
			input.minJobsForRanking !== undefined &&
			input.minJobsForRanking !== station.minJobsForRanking
		) {
			rows.push({
				subject: 'min_jobs_for_ranking',
				oldValue: station.minJobsForRanking,
				newValue: input.minJobsForRanking
			});
		}
		if (rows.length === 0) return { changed: 0 };
		await tx
			.update(stations)
			.set({
				reworkWindowDays: input.reworkWindowDays,
				minJobsForRanking: input.minJobsForRanking,
				updatedAt: sql`now()`
			})
			.where(eq(stations.id, user.stationId));
		await writeAudit(tx, user, rows);
		return { changed: rows.length };
	});
}

export async function addFaultCategory(
	db: Database,
	user: SessionUser,
	input: z.output<typeof newFaultCategoryInputSchema>
): Promise<FaultCategorySetting> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const [created] = await tx
			.insert(faultCategories)
			.values({ stationId: user.stationId, ...input })
			.onConflictDoNothing({ target: [faultCategories.stationId, faultCategories.code] })
			.returning();
		if (!created) {
			throw invalidInput(
				['code'],
				'code_taken',
				`the fault category code "${input.code}" already exists in this station`,
				{ code: input.code },
				'CONFLICT'
			);
		}
		const value: FaultCategoryValue = {
			name: created.name,
			standardMinutes: created.standardMinutes,
			active: created.active
		};
		await writeAudit(tx, user, [
			{ subject: `${CATEGORY_SUBJECT}${created.code}`, oldValue: null, newValue: value }
		]);
		return { id: created.id, code: created.code, ...value, jobCount: 0 };
	});
}

/** Renames, retimes, deactivates or reactivates a category; its code never changes. */
export async function changeFaultCategory(
	db: Database,
	user: SessionUser,
	input: z.output<typeof faultCategoryChangeInputSchema>
): Promise<SettingsChangeResult> {
	requireSettingsEditor(user);
	return db.transaction(async (tx) => {
		const [category] = await tx
			.select()
			.from(faultCategories)
			.where(and(eq(faultCategories.stationId, user.stationId), eq(faultCategories.id, input.id)))
			.for('update');
		if (!category) {
			throw new TRPCError({
				code: 'NOT_FOUND',
				message: m.srv_fault_category_not_found({ id: input.id })
			});
		}
		const before: FaultCategoryValue = {
			name: category.name,
			standardMinutes: category.standardMinutes,
			active: category.active
		};
		const after: FaultCategoryValue = {
			name: input.name ?? before.name,
			standardMinutes: input.standardMinutes ?? before.standardMinutes,
			active: input.active ?? before.active
		};
		if (
			after.name === before.name &&
			after.standardMinutes === before.standardMinutes &&
			after.active === before.active
		) {
			return { changed: 0 };
		}
		await tx
			.update(faultCategories)
			.set({ ...after, updatedAt: sql`now()` })
			.where(and(eq(faultCategories.stationId, user.stationId), eq(faultCategories.id, input.id)));
		await writeAudit(tx, user, [
			{ subject: `${CATEGORY_SUBJECT}${category.code}`, oldValue: before, newValue: after }
		]);
		return { changed: 1 };
	});
}

export interface SettingsAuditEntry {
	id: string;
	changedAt: Date;
	/** Null when the account that made the change is unknown (e.g. written by a script). */
	changedBy: { login: string; name: string } | null;
	subject: string;
	change: SettingsChange;
}

export interface SettingsHistoryPage {
	entries: SettingsAuditEntry[];
	page: number;
	pageSize: number;
	hasMore: boolean;
}

/**
 * The station's settings changes, newest first. Rows of one change share its transaction's
 * time, so they stay together, ordered by subject.
 */
export async function listSettingsHistory(
	db: Database,
	user: SessionUser,
	options: z.output<typeof settingsHistoryInputSchema>
): Promise<SettingsHistoryPage> {
	requireSettingsEditor(user);
	const rows = await db
		.select({
			id: settingsAudit.id,
			changedAt: settingsAudit.changedAt,
			subject: settingsAudit.subject,
			oldValue: settingsAudit.oldValue,
			newValue: settingsAudit.newValue,
			login: users.login,
			name: users.name
		})
		.from(settingsAudit)
		.leftJoin(
			users,
			and(eq(users.stationId, settingsAudit.stationId), eq(users.id, settingsAudit.userId))
		)
		.where(eq(settingsAudit.stationId, user.stationId))
		.orderBy(desc(settingsAudit.changedAt), asc(settingsAudit.subject), asc(settingsAudit.id))
		.limit(options.pageSize + 1)
		.offset((options.page - 1) * options.pageSize);
	return {
		entries: rows.slice(0, options.pageSize).map((row) => ({
			id: row.id,
			changedAt: row.changedAt,
			changedBy:
				row.login !== null && row.name !== null ? { login: row.login, name: row.name } : null,
			subject: row.subject,
			change: readChange(row.subject, row.oldValue, row.newValue)
		})),
		page: options.page,
		pageSize: options.pageSize,
		hasMore: rows.length > options.pageSize
	};
}
