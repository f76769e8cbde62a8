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
	it('says each reason in both languages, a job by its number, never an id', () => {
		const keys = [
			'job_not_found',
			'line_not_found',
			'job_verified',
			'job_cancelled',
			'job_not_completed',
			'job_completed',
			'job_no_taken',
			'part_unknown',
			'server_error',
			'database_refused',
			'step_in_future',
			'step_before_report',
			'step_out_of_order',
			'step_missing',
			'follow_up_in_future',
			'follow_up_before_completion',
			'follow_up_job_verified',
			'signature_required'
		];
		for (const key of keys) {
			const en = rejectionText(change({ key, params: {} }), { locale: 'en' });
			const zh = rejectionText(change({ key, params: {} }), { locale: 'zh-CN' });
			expect(zh).toMatch(/[\u4e00-\u9fff]/);
			expect(en).not.toMatch(/[\u4e00-\u9fff]/);
			expect(`${en} ${zh}`).not.toMatch(UUID);
		}
		const cancelled = change({ key: 'job_cancelled', params: { jobNo: 'A1B2-0042' } });
		expect(rejectionText(cancelled, { locale: 'zh-CN' })).toBe('工单 A1B2-0042 已取消。');
		// The job number the device recorded when the server's reason carries none.
		expect(rejectionText(change({ key: 'job_no_taken', params: {} }), { locale: 'en' })).toBe(
			'Job number A1B2-0042 is already taken.'
		);
		const unsigned = change({ key: 'signature_required', params: { jobNo: 'A1B2-0042' } });
		expect(rejectionText(unsigned, { locale: 'zh-CN' })).toBe(
			'工单 A1B2-0042 需要客户签名才能完工：本站要求完工时由客户签名。'
		);
		const inactive = change({ key: 'part_inactive', params: { sku: 'P-9' } });
		expect(rejectionText(inactive, { locale: 'en' })).toBe('Part P-9 is no longer in use.');
	});

	it('names the field with the form’s own label and problem', () => {
		const tooLong = change({
			key: 'invalid_field',
			params: { field: 'fields.customerName', problem: 'too_long', max: 100 }
		});
		expect(rejectionText(tooLong, { locale: 'en' })).toBe(
			'“Customer name”: At most 100 characters.'
		);
		const nul = change({
			key: 'invalid_field',
			params: { field: 'fields.notes', problem: 'unstorable' }
		});
		expect(rejectionText(nul, { locale: 'zh-CN' })).toBe('“备注”：包含无法保存的字符。');
		const clock = change({ key: 'invalid_field', params: { field: 'madeAt', problem: 'date' } });
		expect(rejectionText(clock, { locale: 'en' })).toBe('“Time”: Enter a valid date and time.');
		const unknown = change({
			key: 'invalid_field',
			params: { field: 'price', problem: 'unknown_key' }
		});
		expect(rejectionText(unknown, { locale: 'en' })).toMatch(/does not accept: price\.$/);
	});

	it('says a reason it does not know generically, and keeps a refusal stored before reasons as it is', () => {
		expect(rejectionText(change({ key: 'from_the_future', params: {} }), { locale: 'en' })).toBe(
			'The server refused this change.'
		);
		expect(rejectionText(change(undefined), { locale: 'en' })).toBe(change(undefined).message);
	});
});
