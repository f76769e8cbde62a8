import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput, zonedDay } from './zoned-time';

describe('station-time inputs', () => {
	it('show and read wall-clock time in the station zone, whatever the device zone', () => {
		const instant = new Date('2026-03-02T01:05:00Z');
		expect(toZonedInput(instant, 'Asia/Shanghai')).toBe('2026-03-02T09:05');
		expect(fromZonedInput('2026-03-02T09:05', 'Asia/Shanghai')).toEqual(instant);
		expect(toZonedInput(instant, 'America/New_York')).toBe('2026-03-01T20:05');
		expect(fromZonedInput('2026-03-01T20:05', 'America/New_York')).toEqual(instant);
	});

	it('get daylight saving right on both sides of the change', () => {
		expect(fromZonedInput('2026-03-08T01:30', 'America/New_York')).toEqual(
			new Date('2026-03-08T06:30:00Z')
		);
		expect(fromZonedInput('2026-03-08T03:30', 'America/New_York')).toEqual(
			new Date('2026-03-08T07:30:00Z')
		);
	});

	it('refuse what is not a date and time', () => {
		expect(fromZonedInput('', 'Asia/Shanghai')).toBeNull();
		expect(fromZonedInput('2026-03-02', 'Asia/Shanghai')).toBeNull();
		expect(fromZonedInput('tomorrow', 'Asia/Shanghai')).toBeNull();
	});

	it('name the station day', () => {
		expect(zonedDay(new Date('2026-03-01T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
	});
});
