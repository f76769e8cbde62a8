import { describe, expect, it } from 'vitest';
import { lineTotal, sumMoney } from './money';

describe('part line money', () => {
	it('multiplies decimal strings without float drift', () => {
		expect(lineTotal('3', '0.10')).toBe('0.30');
		expect(lineTotal('1.5', '12.50')).toBe('18.75');
		expect(lineTotal('0.333', '3.00')).toBe('1.00');
		expect(sumMoney(['0.10', '0.20', '18.75'])).toBe('19.05');
	});
});
