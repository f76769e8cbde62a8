/** The settings page's words and numbers in the reader's language. */
import { m } from '$lib/paraglide/messages.js';
import type { ScoredKpi } from '$lib/shared/domain';
import type { FieldProblem } from './+page.server';
import type { InconsistencyHint, Pair } from './ahp-form';
import { fieldNumber, type KpiUnit } from './form-values';

const kpiNames: Record<ScoredKpi, () => string> = {
	repair_success_rate: m.settings_kpi_repair_success_rate,
	avg_response_hours: m.settings_kpi_avg_response_hours,
	duration_index: m.settings_kpi_duration_index,
	csat: m.settings_kpi_csat,
	follow_up_rate: m.settings_kpi_follow_up_rate,
	record_accuracy: m.settings_kpi_record_accuracy,
	parts_cost_per_job: m.settings_kpi_parts_cost_per_job
};

export const kpiName = (kpi: ScoredKpi) => kpiNames[kpi]();

export const betterName = (better: 'higher' | 'lower') =>
	better === 'higher' ? m.settings_better_higher() : m.settings_better_lower();

/** What follows a threshold field: "%", "小时", "元", or nothing for the index. */
export function unitSuffix(unit: KpiUnit): string {
	switch (unit) {
		case 'rate':
			return m.settings_unit_percent();
		case 'hours':
			return m.settings_unit_hours();
		case 'money':
			return m.settings_unit_yuan();
		case 'index':
			return '';
	}
}

/** A threshold for reading: "95%", "24 小时", "1.2". */
export function thresholdText(unit: KpiUnit, value: number): string {
	const number = fieldNumber(unit === 'rate' ? value * 100 : value);
	const suffix = unitSuffix(unit);
	if (!suffix) return number;
	return unit === 'rate' ? `${number}${suffix}` : `${number} ${suffix}`;
}

export function weightText(weight: number): string {
	return `${Number((weight * 100).toFixed(1))}%`;
}

const intensityNames: Record<number, () => string> = {
	2: m.settings_ahp_intensity_2,
	3: m.settings_ahp_intensity_3,
	4: m.settings_ahp_intensity_4,
	5: m.settings_ahp_intensity_5,
	6: m.settings_ahp_intensity_6,
	7: m.settings_ahp_intensity_7,
	8: m.settings_ahp_intensity_8,
	9: m.settings_ahp_intensity_9
};

/** A judgement of the pair in words: "维修成功率明显重要 (5)". */
export function judgementText(pair: Pick<Pair, 'a' | 'b'>, judgement: number): string {
	if (judgement === 1) return m.settings_ahp_equal();
	const value = Math.abs(judgement);
	return m.settings_ahp_more({
		kpi: kpiName(judgement > 0 ? pair.a : pair.b),
		intensity: intensityNames[value](),
		value
	});
}

/** What to revisit when the judgements are inconsistent. */
function revisitText(hint: InconsistencyHint): string {
	const { pair, current, suggested } = hint;
	const names = { a: kpiName(pair.a), b: kpiName(pair.b) };
	if (suggested === current) return m.settings_ahp_revisit_plain(names);
	const text = m.settings_ahp_revisit({
		...names,
		current: judgementText(pair, current),
		suggested: judgementText(pair, suggested)
	});
	return hint.fixes ? `${text} ${m.settings_ahp_revisit_fixes()}` : text;
}

/** A consistency ratio as the page shows it, with the precision of the CR figure. */
export const crText = (cr: number) => cr.toFixed(3);

/** Why judgements cannot be applied: their actual CR, then the comparison to revisit if known. */
export function inconsistentText(cr: number, hint: InconsistencyHint | null | undefined): string {
	const message = m.settings_ahp_inconsistent({ cr: crText(cr) });
	return hint ? `${message} ${revisitText(hint)}` : message;
}

/** A matrix entry as people write it: 3, 1/5. */
export function ratioText(ratio: number): string {
	return ratio >= 1 ? fieldNumber(ratio) : `1/${fieldNumber(1 / ratio)}`;
}

function numberParam(params: Record<string, unknown>, name: string): number {
	return Number(params[name]);
}

/** A refused field's problem in the reader's language. */
export function problemText(problem: FieldProblem): string {
	const { params } = problem;
	switch (problem.problem) {
		case 'not_a_number':
			return m.settings_problem_not_a_number();
		case 'out_of_range':
			return m.settings_problem_out_of_range({
				min: numberParam(params, 'min'),
				max: numberParam(params, 'max')
			});
		case 'rate_out_of_range':
			return m.settings_problem_rate_out_of_range();
		case 'negative':
			return m.settings_problem_negative();
		case 'threshold_incomplete':
			return m.settings_problem_threshold_incomplete();
		case 'threshold_equal':
			return m.settings_problem_threshold_equal();
		case 'excellent_not_above_pass':
			return m.settings_problem_excellent_not_above_pass();
		case 'excellent_not_below_pass':
			return m.settings_problem_excellent_not_below_pass();
		case 'weight_without_threshold':
			return m.settings_problem_weight_without_threshold();
		case 'nothing_scored':
			return m.settings_problem_nothing_scored();
		case 'required':
			return m.settings_problem_required();
		case 'too_long':
			return m.settings_problem_too_long({ max: numberParam(params, 'max') });
		case 'code_format':
			return m.settings_problem_code_format();
		case 'code_taken':
			return m.settings_problem_code_taken({ code: String(params.code ?? '') });
		case 'nothing_to_change':
			return m.settings_problem_nothing_to_change();
		case 'ahp_too_few':
			return m.settings_ahp_too_few({ min: numberParam(params, 'min') });
		case 'ahp_duplicate':
			return m.settings_problem_ahp_duplicate();
		case 'ahp_matrix_size':
		case 'ahp_matrix_invalid':
			return m.settings_problem_ahp_matrix();
		case 'ahp_inconsistent':
			return inconsistentText(numberParam(params, 'cr'), problem.hint);
		case 'ahp_kpi_not_scored':
			return m.settings_problem_ahp_kpi_not_scored({
				kpi: kpiName(params.kpi as ScoredKpi)
			});
		case 'effective_date_invalid':
			return m.pv_problem_effective_date_invalid();
		case 'effective_date_past':
			return m.pv_problem_effective_date_past({ today: String(params.today ?? '') });
		case 'effective_date_too_far':
			return m.pv_problem_effective_date_too_far({ latest: String(params.latest ?? '') });
		case 'not_found':
			return m.settings_problem_not_found();
		case 'invalid':
			return m.settings_problem_invalid();
	}
}
