/**
 * KPI thresholds, weights and minimum samples: typed in for every scored KPI at once, or reset
 * to the defaults (kpi.md, docs/kpi-rules.md). One audit row per KPI whose rule (threshold,
 * weight and minimum) changed.
 */
import { z } from 'zod';
import type { Database, Queryable } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import {
	SCORED_KPIS,
	type KpiSettings,
	type KpiThreshold,
	type ScoredKpi
} from '../../../shared/domain';
import { DEFAULT_KPI_SETTINGS, MAX_KPI_MINIMUM } from '../../../shared/kpi-settings';
import type { KpiRule, SettingsChangeResult } from '../../../shared/station-settings';
import { addProblem, numberValue, wholeNumberIn } from './fields';
import {
	KPI_SUBJECT,
	effectiveKpiSettings,
	editSettings,
	writeAudit,
	type AuditRow
} from './editing';
import {
	effectiveFromSchema,
	lockSettings,
	writeSettingsVersion,
	type LockedSettings
} from './versions';

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

const thresholdInputSchema = z
	.object({ pass: numberValue.nullable(), excellent: numberValue.nullable() })
	.nullable()
	.optional();

const minimumInputSchema = wholeNumberIn({ min: 0, max: MAX_KPI_MINIMUM });

/** What the input leaves out keeps its stored value: only the minimums may be left out. */
type KpiSettingsChange = Omit<KpiSettings, 'minimums'> & {
	minimums?: KpiSettings['minimums'];
	/** The first day the change applies (default today): never earlier (versions.ts). */
	effectiveFrom?: string;
};

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
		),
		// Left out by callers that change only thresholds and weights: the stored ones stay.
		minimums: z
			.object(
				Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, minimumInputSchema])) as Record<
					ScoredKpi,
					typeof minimumInputSchema
				>
			)
			.optional(),
		effectiveFrom: effectiveFromSchema
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
	.transform((input): KpiSettingsChange => {
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
		return input.minimums
			? { thresholds, weights, minimums: { ...input.minimums }, effectiveFrom: input.effectiveFrom }
			: { thresholds, weights, effectiveFrom: input.effectiveFrom };
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

function kpiRule(settings: KpiSettings, kpi: ScoredKpi): KpiRule {
	return {
		threshold: settings.thresholds[kpi] ?? null,
		weight: settings.weights[kpi],
		minimum: settings.minimums[kpi]
	};
}

function sameRule(a: KpiRule, b: KpiRule): boolean {
	return (
		a.weight === b.weight &&
		a.minimum === b.minimum &&
		a.threshold?.pass === b.threshold?.pass &&
		a.threshold?.excellent === b.threshold?.excellent
	);
}

/**
 * Stores new thresholds, weights and minimums from the locked version's date on; one audit row per KPI
 * whose rule changed. Anything else kpi_settings holds stays as it is.
 */
async function replaceKpiSettings(
	tx: Queryable,
	user: SessionUser,
	locked: LockedSettings,
	next: KpiSettings
): Promise<number> {
	const current = locked.kpiSettings;
	const rows: AuditRow[] = [];
	for (const kpi of SCORED_KPIS) {
		const before = kpiRule(current, kpi);
		const after = kpiRule(next, kpi);
		if (!sameRule(before, after)) {
			rows.push({ subject: `${KPI_SUBJECT}${kpi}`, oldValue: before, newValue: after });
		}
	}
	if (rows.length === 0) return 0;
	await writeSettingsVersion(tx, user, locked, (values) => ({
		...values,
		kpiSettings: {
			...values.kpiSettings,
			thresholds: next.thresholds,
			weights: next.weights,
			minimums: next.minimums
		}
	}));
	await writeAudit(tx, user, rows);
	return rows.length;
}

/**
 * Sets every scored KPI's thresholds, weight and (when given) minimum sample (input validated
 * by kpiSettingsInputSchema).
 */
export async function updateKpiSettings(
	db: Database,
	user: SessionUser,
	{ effectiveFrom, ...settings }: KpiSettingsChange
): Promise<SettingsChangeResult> {
	return editSettings(db, user, async (tx) => {
		const locked = await lockSettings(tx, user, effectiveFrom);
		const next: KpiSettings = {
			...settings,
			minimums: settings.minimums ?? locked.kpiSettings.minimums
		};
		return { changed: await replaceKpiSettings(tx, user, locked, next) };
	});
}

/** Back to the default thresholds, weights and minimums. */
export async function resetKpiSettings(
	db: Database,
	user: SessionUser,
	effectiveFrom?: string
): Promise<SettingsChangeResult> {
	return editSettings(db, user, async (tx) => {
		const locked = await lockSettings(tx, user, effectiveFrom);
		const defaults = effectiveKpiSettings(DEFAULT_KPI_SETTINGS);
		return { changed: await replaceKpiSettings(tx, user, locked, defaults) };
	});
}
