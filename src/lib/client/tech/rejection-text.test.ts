/** Refusals on the technician's screen: in the UI language, a job by its number, never an id. */
import { describe, expect, it } from 'vitest';
import { rejectionText } from './rejection-text';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;
const change = (reason: { key: string; params: Record<string, string | number> } | undefined) => ({
	code: 'BAD_REQUEST',
	message: 'Job 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b was not found.',
	reason,
	jobNo: 'A1B2-0042'
});

describe('rejectionText', () => {
	it('says each reason in both languages, naming the job by its number', () => {
		const reasons = [
			{ key: 'job_not_found', params: {} },
			{ key: 'job_verified', params: { jobNo: 'A1B2-0042' } },
			{ key: 'job_cancelled', params: { jobNo: 'A1B2-0042' } },
			{ key: 'job_not_completed', params: { jobNo: 'A1B2-0042' } },
			{ key: 'job_completed', params: { jobNo: 'A1B2-0042' } },
			{ key: 'job_no_taken', params: {} },
			{ key: 'job_id_taken', params: {} }
		];
		for (const reason of reasons) {
			const en = rejectionText(change(reason), { locale: 'en' });
			const zh = rejectionText(change(reason), { locale: 'zh-CN' });
			expect(en).toContain('A1B2-0042');
			expect(zh).toContain('A1B2-0042');
			expect(zh).toMatch(/[\u4e00-\u9fff]/);
			expect(en).not.toEqual(zh);
			expect(`${en} ${zh}`).not.toMatch(UUID);
		}
	});

	it('names the field with the form’s own label', () => {
		const tooLong = change({
			key: 'invalid_field',
			params: { field: 'fields.customerName', problem: 'too_long', max: 100 }
		});
		expect(rejectionText(tooLong, { locale: 'en' })).toBe(
			'“Customer name” is longer than 100 characters.'
		);
		const nul = change({
			key: 'invalid_field',
			params: { field: 'fields.notes', problem: 'unstorable' }
		});
		expect(rejectionText(nul, { locale: 'zh-CN' })).toMatch(/包含无法保存的字符/);
		const clock = change({ key: 'invalid_field', params: { field: 'madeAt', problem: 'date' } });
		expect(rejectionText(clock, { locale: 'en' })).toMatch(/“Time” is not a plausible date/);
	});

	it('says a reason it does not know generically, and keeps a refusal stored before reasons as it is', () => {
		expect(rejectionText(change({ key: 'from_the_future', params: {} }), { locale: 'en' })).toBe(
			'The server refused this change.'
		);
		expect(rejectionText(change(undefined), { locale: 'en' })).toBe(change(undefined).message);
	});
});
