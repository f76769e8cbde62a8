import { describe, expect, it } from 'vitest';
import { utcOffsetAt, zoneClock } from '../../shared/time/local-time';
import { formatTimestampInZone, parseTimestamp } from './time';
import {
	InvalidValue,
	parseBoolean,
	parseChoice,
	parseInteger,
	parseMoney,
	parseQuantity,
	parseText
} from './values';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';

describe('parseTimestamp', () => {
	it('reads ISO 8601 with Z or an offset, whatever the station zone', () => {
		expect(parseTimestamp('2026-03-02T09:30:00+08:00', NEW_YORK)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-02T01:30:00Z', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-02T01:30:00z', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-01T20:30-05:00', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-02 09:30:00+0800', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-02T05:45:00+05:45', SHANGHAI)).toBe('2026-03-02T00:00:00Z');
	});

	it('keeps fractions of a second to the microsecond', () => {
		expect(parseTimestamp('2026-03-02T09:30:00.123456+08:00', SHANGHAI)).toBe(
			'2026-03-02T01:30:00.123456Z'
		);
		expect(parseTimestamp('2026-03-02 09:30:00.5', SHANGHAI)).toBe('2026-03-02T01:30:00.5Z');
	});

	it('reads local YYYY-MM-DD HH:mm[:ss] in the station zone', () => {
		expect(parseTimestamp('2026-03-02 09:30', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-03-02 09:30:15', SHANGHAI)).toBe('2026-03-02T01:30:15Z');
		expect(parseTimestamp('2026-03-02T09:30', SHANGHAI)).toBe('2026-03-02T01:30:00Z');
		expect(parseTimestamp('2026-01-01 00:00', SHANGHAI)).toBe('2025-12-31T16:00:00Z');
	});

	it('uses the offset in force at that local time across DST changes (New York)', () => {
		// EST (-05:00) until 2026-03-08 02:00, then EDT (-04:00) until 2026-11-01 02:00.
		expect(parseTimestamp('2026-03-07 12:00', NEW_YORK)).toBe('2026-03-07T17:00:00Z');
		expect(parseTimestamp('2026-03-08 01:59:59', NEW_YORK)).toBe('2026-03-08T06:59:59Z');
		expect(parseTimestamp('2026-03-08 03:00', NEW_YORK)).toBe('2026-03-08T07:00:00Z');
		expect(parseTimestamp('2026-03-09 12:00', NEW_YORK)).toBe('2026-03-09T16:00:00Z');
		expect(parseTimestamp('2026-07-01 09:00', NEW_YORK)).toBe('2026-07-01T13:00:00Z');
		expect(parseTimestamp('2026-11-01 00:30', NEW_YORK)).toBe('2026-11-01T04:30:00Z');
		expect(parseTimestamp('2026-11-01 03:00', NEW_YORK)).toBe('2026-11-01T08:00:00Z');
	});

	it('takes the first of a local time that happens twice, refuses one that never happens', () => {
		// 01:30 on 2026-11-01 happens at 05:30Z (EDT) and again at 06:30Z (EST).
		expect(parseTimestamp('2026-11-01 01:30', NEW_YORK)).toBe('2026-11-01T05:30:00Z');
		expect(parseTimestamp('2026-11-01T01:30:00-05:00', NEW_YORK)).toBe('2026-11-01T06:30:00Z');
		// 02:30 on 2026-03-08 does not exist in New York.
		expect(() => parseTimestamp('2026-03-08 02:30', NEW_YORK)).toThrow(
			/does not exist in America\/New_York/
		);
		expect(parseTimestamp('2026-03-08T02:30:00-05:00', NEW_YORK)).toBe('2026-03-08T07:30:00Z');
	});

	it('refuses other spellings and impossible dates with a reason', () => {
		for (const text of ['2026/03/02 09:30', '02.03.2026', '2026-03-02', '9:30', 'tomorrow']) {
			expect(() => parseTimestamp(text, SHANGHAI)).toThrow(/is not a timestamp; write/);
		}
		expect(() => parseTimestamp('2026-02-30 09:30', SHANGHAI)).toThrow(
			'is not a real calendar date'
		);
		expect(() => parseTimestamp('2026-03-02 24:00', SHANGHAI)).toThrow(/is not a real time of day/);
		expect(() => parseTimestamp('2026-03-02T09:30+19:00', SHANGHAI)).toThrow(
			'has an impossible UTC offset +19:00'
		);
	});
});

describe('formatTimestampInZone', () => {
	it('writes the wall-clock time with the offset of that instant', () => {
		expect(formatTimestampInZone('2026-03-02T01:30:00.000000', SHANGHAI)).toBe(
			'2026-03-02T09:30:00+08:00'
		);
		expect(formatTimestampInZone('2026-03-07T17:00:00', NEW_YORK)).toBe(
			'2026-03-07T12:00:00-05:00'
		);
		expect(formatTimestampInZone('2026-03-09T16:00:00', NEW_YORK)).toBe(
			'2026-03-09T12:00:00-04:00'
		);
		expect(formatTimestampInZone('2026-11-01T06:30:00', NEW_YORK)).toBe(
			'2026-11-01T01:30:00-05:00'
		);
		expect(formatTimestampInZone('2026-03-02T01:30:00.120500', SHANGHAI)).toBe(
			'2026-03-02T09:30:00.1205+08:00'
		);
		expect(formatTimestampInZone('2026-03-02T01:30:00', 'UTC')).toBe('2026-03-02T01:30:00+00:00');
	});

	it('is read back as the same instant', () => {
		for (const zone of [SHANGHAI, NEW_YORK, 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
			for (let hour = 0; hour < 24 * 400; hour += 31) {
				const instant = new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000 + 1234);
				const utc = instant.toISOString().replace('Z', '');
				expect(parseTimestamp(formatTimestampInZone(utc, zone), zone)).toBe(instant.toISOString());
			}
		}
	});

	it('writes instants whose offset has seconds (local mean time) in UTC', () => {
		expect(utcOffsetAt(Date.UTC(1890, 0, 1), zoneClock(SHANGHAI)) % 60_000).not.toBe(0);
		expect(formatTimestampInZone('1890-01-01T00:00:00', SHANGHAI)).toBe('1890-01-01T00:00:00Z');
	});
});

describe('parseBoolean', () => {
	it('reads every spelling of the format, Latin ones in any case', () => {
		for (const text of ['true', 'TRUE', 'True', 'yes', 'YES', 'Yes', '1', '是']) {
			expect(parseBoolean(text)).toBe(true);
		}
		for (const text of ['false', 'FALSE', 'False', 'no', 'NO', 'No', '0', '否']) {
			expect(parseBoolean(text)).toBe(false);
		}
	});

	it('refuses anything else', () => {
		for (const text of ['y', 'n', '2', '对', 'ok']) {
			expect(() => parseBoolean(text)).toThrow(InvalidValue);
		}
		expect(() => parseBoolean('maybe')).toThrow('"maybe" is not true/false, yes/no, 1/0 or 是/否');
	});
});

describe('numbers and choices', () => {
	it('reads money with at most 2 decimals, never negative', () => {
		expect(parseMoney('12')).toBe('12');
		expect(parseMoney('12.5')).toBe('12.5');
		expect(parseMoney('0.00')).toBe('0.00');
		for (const text of ['-1', '1.234', '1e3', '¥12', '1,000']) {
			expect(() => parseMoney(text)).toThrow(/non-negative amount with at most 2 decimals/);
		}
	});

	it('reads quantities above 0 with decimals', () => {
		expect(parseQuantity('2')).toBe('2');
		expect(parseQuantity('0.5')).toBe('0.5');
		expect(parseQuantity('1.125')).toBe('1.125');
		expect(() => parseQuantity('0')).toThrow('"0" must be greater than 0');
		expect(() => parseQuantity('-1')).toThrow(/at most 3 decimals/);
		expect(() => parseQuantity('1.0001')).toThrow(/at most 3 decimals/);
	});

	it('reads whole numbers in a range', () => {
		expect(parseInteger('5', 1, 5)).toBe(5);
		expect(() => parseInteger('6', 1, 5)).toThrow('6 is not between 1 and 5');
		expect(() => parseInteger('4.5', 1, 5)).toThrow('"4.5" is not a whole number');
	});

	it('reads choices in any letter case', () => {
		expect(parseChoice('Completed', ['open', 'completed'] as const)).toBe('completed');
		expect(() => parseChoice('done', ['open', 'completed'] as const)).toThrow(
			'"done" is not one of open, completed'
		);
	});

	it('limits text length', () => {
		expect(parseText('张伟', 2)).toBe('张伟');
		expect(() => parseText('张伟伟', 2)).toThrow('is 3 characters long; at most 2 fit');
	});
});
