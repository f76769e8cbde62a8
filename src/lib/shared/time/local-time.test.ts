import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput, zonedDay } from './local-time';

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

	it('read the instant in the station’s zone, to the minute', () => {
		const instant = new Date('2026-03-31T16:05:59Z');
		expect(toZonedInput(instant, 'Asia/Shanghai')).toBe('2026-04-01T00:05');
		expect(toZonedInput(instant, 'America/New_York')).toBe('2026-03-31T12:05');
		expect(toZonedInput(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00');
	});

	it("name the station's day, not the device's", () => {
		expect(zonedDay(new Date('2026-03-01T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
		// 16:30 UTC on 31 March is already 1 April in Shanghai, still 31 March in New York.
		const instant = new Date('2026-03-31T16:30:00Z');
		expect(zonedDay(instant, 'Asia/Shanghai')).toBe('2026-04-01');
		expect(zonedDay(instant, 'America/New_York')).toBe('2026-03-31');
	});
});
