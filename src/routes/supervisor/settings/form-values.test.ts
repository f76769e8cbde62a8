import { describe, expect, it } from 'vitest';
import {
	thresholdField,
	thresholdFromField,
	typedNumber,
	weightField,
	weightFromField
} from './form-values';

describe('settings form values', () => {
	it('shows rates as percents without float noise', () => {
		expect(thresholdField('rate', 0.95)).toBe('95');
		expect(thresholdField('rate', 0.575)).toBe('57.5');
		expect(thresholdField('hours', 24)).toBe('24');
		expect(thresholdField('index', 1.2)).toBe('1.2');
		expect(thresholdField('rate', null)).toBe('');
		expect(weightField(0.15)).toBe('15');
		expect(weightField(1 / 3)).toBe('33.33');
	});

	it('reads typed values: empty is null, junk is NaN, a trailing % is fine', () => {
		expect(typedNumber('  ')).toBeNull();
		expect(typedNumber(' 92.5 % ')).toBe(92.5);
		expect(typedNumber('abc')).toBeNaN();
		expect(typedNumber('1e400')).toBeNaN();
	});

	it('converts percents back to fractions, and keeps exact stored values of untouched fields', () => {
		expect(thresholdFromField('rate', '92', 0.9)).toBe(0.92);
		expect(thresholdFromField('hours', '36', 24)).toBe(36);
		expect(thresholdFromField('rate', '', 0.9)).toBeNull();
		expect(thresholdFromField('rate', 'x', 0.9)).toBeNaN();
		// A share shown rounded ("33.33") stays the exact third when left alone.
		expect(weightFromField('33.33', 1 / 3)).toBe(1 / 3);
		expect(weightFromField('40', 1 / 3)).toBe(0.4);
		expect(weightFromField('', 0.2)).toBe(0);
		expect(thresholdFromField('rate', '57.1234', 0.571234)).toBe(0.571234);
	});
});
