import { describe, expect, it } from 'vitest';
import { m } from '../paraglide/messages.js';
import { refusalText } from './refusal-text';

/** Every reason shared/sync.ts documents, and whether it names a job by its number. */
const DOCUMENTED_REASONS: [key: string, namesJob: boolean][] = [
	['job_not_found', false],
	['line_not_found', false],
	['part_unknown', false],
	['job_id_taken', false],
	['fault_category_unknown', false],
	['previous_job_unknown', false],
	['not_active_technician', false],
	['supervisor_only', false],
	['own_jobs_only', false],
	['desk_no_visit_steps', false],
	['desk_opens_calls', false],
	['desk_only', false],
	['desk_supervisor_only', false],
	['desk_job_completed', true],
	['reassign_reason_required', true],
	['job_closed_for_assignment', true],
	['job_verified', true],
	['job_cancelled', true],
	['job_not_completed', true],
	['job_completed', true],
	['job_no_taken', true],
	['step_in_future', true],
	['step_before_report', true],
	['step_out_of_order', true],
	['step_missing', true],
	['follow_up_in_future', true],
	['follow_up_before_completion', true],
	['follow_up_job_verified', true],
	['part_inactive', false],
	['database_refused', false],
	['server_error', false]
];

describe('refusalText', () => {
	it('words every documented reason in its own sentence, with the job number it names', () => {
		const texts = DOCUMENTED_REASONS.map(([key, namesJob]) => {
			const text = refusalText({ key, params: { jobNo: 'J-0042', sku: 'SKU-9' } });
			expect(text, key).not.toBe(m.ss_reason_other());
			expect(text, key).not.toMatch(/undefined|\{/);
			if (namesJob) expect(text, key).toContain('J-0042');
			return text;
		});
		expect(new Set(texts).size).toBe(texts.length);
		expect(refusalText({ key: 'part_inactive', params: { sku: 'SKU-9' } })).toContain('SKU-9');
	});

	it('names the field of an invalid value, and says a reason it does not know generically', () => {
		const field = (problem: string) =>
			refusalText({ key: 'invalid_field', params: { field: 'customerName', problem, max: 200 } });
		for (const problem of ['required', 'too_long', 'unstorable', 'unknown_key', 'invalid']) {
			expect(field(problem), problem).toContain('customerName');
		}
		expect(field('too_long')).toContain('200');
		expect(refusalText({ key: 'from_a_newer_server', params: {} })).toBe(m.ss_reason_other());
	});

	it("words the desk worklists' problems, naming the job", () => {
		for (const key of ['already_followed_up', 'follow_up_closed']) {
			expect(refusalText({ key, params: { jobNo: 'J-0042' } }), key).toContain('J-0042');
		}
		for (const key of ['already_recorded', 'desk_only']) {
			expect(refusalText({ key, params: {} }), key).not.toBe(m.ss_reason_other());
		}
	});

	it("words the customer survey's refusals plainly, naming no job", () => {
		const keys = [
			'survey_invalid',
			'survey_expired',
			'survey_answered',
			'survey_throttled',
			'survey_staff_session'
		];
		const texts = keys.map((key) => refusalText({ key, params: { minutes: 15 } }));
		for (const [index, text] of texts.entries()) {
			expect(text, keys[index]).not.toBe(m.ss_reason_other());
			expect(text, keys[index]).not.toMatch(/undefined|\{|—/);
		}
		expect(new Set(texts).size).toBe(keys.length);
		expect(texts[3]).toContain('15');
	});
});
