/**
 * /supervisor/settings: the station's rules, changed through form actions (they work without
 * JavaScript; with it, use:enhance keeps the page in place). Every action calls the tRPC API as
 * the signed-in user, so permissions, validation and the audit stay in the settings service.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { AHP_MIN_KPIS } from '$lib/server/stations/settings/ahp';
import {
	FLOOR_MINUTES_RANGE,
	STANDARD_MINUTES_RANGE
} from '$lib/server/stations/settings/categories';
import type { SettingsProblem } from '$lib/server/stations/settings/fields';
import {
	KPI_BETTER,
	KPI_UNIT,
	type KpiSettingsInput
} from '$lib/server/stations/settings/kpi-rules';
import {
	MIN_JOBS_FOR_RANKING_RANGE,
	REWORK_WINDOW_DAYS_RANGE
} from '$lib/server/stations/settings/ranking';
import { SCORED_KPIS } from '$lib/shared/domain';
import { DEFAULT_FLOOR_MINUTES, DEFAULT_STANDARD_MINUTES } from '$lib/shared/kpi';
import { requireSupervisorPage } from '../../access';
import {
	comparisonMatrix,
	mostInconsistentPair,
	pairKey,
	type InconsistencyHint
} from './ahp-form';
import { kpiFieldName, thresholdFromField, typedNumber, weightFromField } from './form-values';
import type { Actions, PageServerLoad } from './$types';

const HISTORY_PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
	requireSupervisorPage(event.locals);
	const caller = await serverCaller(event);
	const requested = Number.parseInt(event.url.searchParams.get('history') ?? '1', 10);
	const historyPage = Number.isInteger(requested) && requested >= 1 ? requested : 1;
	const [settings, history] = await Promise.all([
		caller.settings.get(),
		caller.settings.history({ page: historyPage, pageSize: HISTORY_PAGE_SIZE })
	]);
	return {
		settings,
		history,
		kpiMeta: SCORED_KPIS.map((kpi) => ({ kpi, better: KPI_BETTER[kpi], unit: KPI_UNIT[kpi] })),
		limits: {
			ahpMinKpis: AHP_MIN_KPIS,
			reworkWindowDays: REWORK_WINDOW_DAYS_RANGE,
			minJobsForRanking: MIN_JOBS_FOR_RANKING_RANGE,
			standardMinutes: STANDARD_MINUTES_RANGE,
			defaultStandardMinutes: DEFAULT_STANDARD_MINUTES,
			floorMinutes: FLOOR_MINUTES_RANGE,
			defaultFloorMinutes: DEFAULT_FLOOR_MINUTES
		}
	};
};

export type SettingsSection =
	'kpi' | 'reset' | 'ahp' | 'ranking' | 'positions' | 'signature' | 'addCategory' | 'category';

export interface FieldProblem {
	problem: SettingsProblem | 'not_found' | 'invalid';
	params: Record<string, unknown>;
	/** For a refused AHP: the comparison to revisit. */
	hint?: InconsistencyHint | null;
}

/** What every action answers, so the page reads one shape whichever form was sent. */
export interface SettingsFormResult {
	section: SettingsSection;
	/** The fault category a 'category' result belongs to. */
	target?: string;
	changed?: number;
	cr?: number;
	/** By field name; '' is the form as a whole. */
	errors?: Record<string, FieldProblem>;
	/** What was typed, to show again beside the errors when the page reloads without JS. */
	values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

function formValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
	return values;
}

/** A whole number field: empty or unparsable becomes NaN, which validation calls not a number. */
function wholeNumber(form: FormData, name: string): number {
	return typedNumber(text(form, name)) ?? Number.NaN;
}

/** The date a change takes effect from; left empty, the service takes today. */
function effectiveFrom(form: FormData): string | undefined {
	return text(form, 'effectiveFrom').trim() || undefined;
}

/**
 * Runs a settings change and turns refusals into field problems: validation (whether from the
 * input schema or the service) → 400 with a problem per field; NOT_FOUND → 404.
 */
async function attempt(
	event: RequestEvent,
	result: Omit<SettingsFormResult, 'errors' | 'changed'>,
	fieldOf: (path: string) => string,
	change: (caller: Awaited<ReturnType<typeof serverCaller>>) => Promise<Partial<SettingsFormResult>>
) {
	requireSupervisorPage(event.locals);
	const caller = await serverCaller(event);
	try {
		return { ...result, ...(await change(caller)) } satisfies SettingsFormResult;
	} catch (caught) {
		const refused = formRefusal(caught);
		if (refused.issues.length > 0) {
			const errors: Record<string, FieldProblem> = {};
			for (const issue of refused.issues) {
				const field = fieldOf(issue.path.join('.'));
				const params = 'params' in issue && issue.params ? { ...issue.params } : {};
				const problem = (params.problem as SettingsProblem | undefined) ?? 'invalid';
				delete params.problem;
				errors[field] ??= { problem, params };
			}
			const refusal: SettingsFormResult = { ...result, errors };
			return fail(400, refusal);
		}
		if (refused.code === 'NOT_FOUND') {
			const missing: SettingsFormResult = {
				...result,
				errors: { '': { problem: 'not_found', params: {} } }
			};
			return fail(refused.status, missing);
		}
		if (refused.code === 'FORBIDDEN') error(refused.status, refused.message);
		throw caught;
	}
}

/**
 * 'thresholds.csat.pass' → 'csat.pass', 'weights.csat' → 'csat.weight', 'minimums.csat' →
 * 'csat.minimum', 'weights' stays.
 */
function kpiField(path: string): string {
	const [group, kpi, field] = path.split('.');
	if (group === 'thresholds' && kpi && field) return `${kpi}.${field}`;
	if (group === 'weights' && kpi) return `${kpi}.weight`;
	if (group === 'minimums' && kpi) return `${kpi}.minimum`;
	return group ?? '';
}

function topLevelField(path: string): string {
	return path.split('.')[0] ?? '';
}

export const actions: Actions = {
	kpi: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form);
		return attempt(event, { section: 'kpi', values }, kpiField, async (caller) => {
			const { kpi: stored } = await caller.settings.get();
			const input: KpiSettingsInput = {
				thresholds: {},
				weights: { ...stored.weights },
				minimums: { ...stored.minimums }
			};
			for (const kpi of SCORED_KPIS) {
				const unit = KPI_UNIT[kpi];
				const current = stored.thresholds[kpi];
				input.thresholds[kpi] = {
					pass: thresholdFromField(unit, text(form, kpiFieldName(kpi, 'pass')), current?.pass),
					excellent: thresholdFromField(
						unit,
						text(form, kpiFieldName(kpi, 'excellent')),
						current?.excellent
					)
				};
				input.weights[kpi] = weightFromField(
					text(form, kpiFieldName(kpi, 'weight')),
					stored.weights[kpi]
				);
				input.minimums![kpi] = wholeNumber(form, kpiFieldName(kpi, 'minimum'));
			}
			return caller.settings.updateKpi({ ...input, effectiveFrom: effectiveFrom(form) });
		});
	},

	reset: async (event) => {
		const form = await event.request.formData();
		return attempt(event, { section: 'reset', values: formValues(form) }, topLevelField, (caller) =>
			caller.settings.resetKpi({ effectiveFrom: effectiveFrom(form) })
		);
	},

	ahp: async (event) => {
		const form = await event.request.formData();
		const chosen = form.getAll('kpis');
		const kpis = SCORED_KPIS.filter((kpi) => chosen.includes(kpi));
		const matrix = comparisonMatrix(kpis, (pair) => Number(text(form, pairKey(pair.a, pair.b))));
		const fieldOf = (path: string) => (path.startsWith('kpis') ? 'kpis' : 'matrix');
		const answer = await attempt(
			event,
			// The ticked KPIs as one value, so a page rendered without JS can tick them again.
			{ section: 'ahp', values: { ...formValues(form), kpis: kpis.join(',') } },
			fieldOf,
			async (caller) => {
				const applied = await caller.settings.applyAhp({
					kpis,
					matrix,
					effectiveFrom: effectiveFrom(form)
				});
				return { changed: applied.changed, cr: applied.cr };
			}
		);
		const refusal = 'data' in answer ? answer.data.errors?.matrix : undefined;
		if (refusal?.problem === 'ahp_inconsistent') refusal.hint = mostInconsistentPair(kpis, matrix);
		return answer;
	},

	ranking: async (event) => {
		const form = await event.request.formData();
		return attempt(
			event,
			{ section: 'ranking', values: formValues(form) },
			topLevelField,
			(caller) =>
				caller.settings.updateRanking({
					reworkWindowDays: wholeNumber(form, 'reworkWindowDays'),
					minJobsForRanking: wholeNumber(form, 'minJobsForRanking'),
					effectiveFrom: effectiveFrom(form)
				})
		);
	},

	positions: async (event) => {
		const form = await event.request.formData();
		// A checkbox: sent when ticked, absent when not.
		const recordPositions = form.get('recordPositions') !== null;
		return attempt(event, { section: 'positions' }, topLevelField, (caller) =>
			caller.settings.updatePositions({ recordPositions })
		);
	},

	signature: async (event) => {
		const form = await event.request.formData();
		const completionRequiresSignature = form.get('completionRequiresSignature') !== null;
		return attempt(event, { section: 'signature' }, topLevelField, (caller) =>
			caller.settings.updateSignatureRequirement({ completionRequiresSignature })
		);
	},

	addCategory: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form);
		return attempt(event, { section: 'addCategory', values }, topLevelField, async (caller) => {
			await caller.settings.addFaultCategory({
				code: text(form, 'code'),
				name: text(form, 'name'),
				standardMinutes: wholeNumber(form, 'standardMinutes'),
				floorMinutes: wholeNumber(form, 'floorMinutes')
			});
			return { changed: 1 };
		});
	},

	changeCategory: async (event) => {
		const form = await event.request.formData();
		const id = text(form, 'id');
		const active = text(form, 'active');
		return attempt(
			event,
			{ section: 'category', target: id, values: formValues(form) },
			topLevelField,
			(caller) =>
				caller.settings.changeFaultCategory(
					active
						? { id, active: active === 'true' }
						: {
								id,
								name: text(form, 'name'),
								standardMinutes: wholeNumber(form, 'standardMinutes'),
								floorMinutes: wholeNumber(form, 'floorMinutes')
							}
				)
		);
	}
};
