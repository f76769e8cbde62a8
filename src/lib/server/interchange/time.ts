/**
 * Timestamps of the interchange files and the time-zone arithmetic behind them.
 *
 * Timestamps travel as strings, never as JS Dates, so the microseconds Postgres keeps survive
 * an export and re-import (a Date holds milliseconds). A parsed timestamp is normalised to
 * UTC ISO 8601 (`2026-03-02T01:30:00.123456Z`), which Postgres reads as timestamptz.
 *
 * Offsets come from shared/time/local-time.ts's zoneClock, remembered by hour here.
 */
import { utcOffsetAt as offsetAt, zoneClock, type ZoneClock } from '../../shared/time/local-time';
import { echo, InvalidValue } from './problems';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Per zone, its clock and its offsets by UTC hour, for hours in which the offset does not
 * change (null: it does, ask the clock for each instant). Intl is slow (tens of µs a call) and
 * an import of a few thousand jobs asks for tens of thousands of offsets, mostly of the same
 * few hours.
 */
const zones = new Map<string, { clock: ZoneClock; hours: Map<number, number | null> }>();
const MAX_CACHED_HOURS = 200_000;

/** The zone's UTC offset at an instant, remembered by hour. */
function utcOffsetAt(epochMs: number, timeZone: string): number {
	let zone = zones.get(timeZone);
	if (!zone || zone.hours.size > MAX_CACHED_HOURS) {
		zone = { clock: zoneClock(timeZone), hours: new Map() };
		zones.set(timeZone, zone);
	}
	const hour = Math.floor(epochMs / HOUR);
	let offset = zone.hours.get(hour);
	if (offset === undefined) {
		// Offsets change at whole seconds, and never twice within an hour.
		const atStart = offsetAt(hour * HOUR, zone.clock);
		const atEnd = offsetAt(hour * HOUR + HOUR - SECOND, zone.clock);
		offset = atStart === atEnd ? atStart : null;
		zone.hours.set(hour, offset);
	}
	return offset ?? offsetAt(epochMs, zone.clock);
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/**
 * The instant at which clocks in `timeZone` show `local`. When clocks are set back, a local
 * time happens twice and the earlier instant is taken (as Temporal's "compatible" does);
 * when they jump forward, the skipped local times do not exist and get a clear refusal.
 */
function instantOfWallClock(local: WallClock, timeZone: string): number {
	const asIfUtc = Date.UTC(
		local.year,
		local.month - 1,
		local.day,
		local.hour,
		local.minute,
		local.second
	);
	// Real zones change offset at most once within a day either side of any local time.
	const offsets = new Set([
		utcOffsetAt(asIfUtc - DAY, timeZone),
		utcOffsetAt(asIfUtc + DAY, timeZone)
	]);
	const instants = [...offsets]
		.map((offset) => asIfUtc - offset)
		.filter((instant) => asIfUtc - utcOffsetAt(instant, timeZone) === instant);
	if (instants.length === 0) {
		throw new InvalidValue('skipped_local_time', { zone: timeZone });
	}
	return Math.min(...instants);
}

const TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * Reads an interchange timestamp: ISO 8601 with `Z` or an offset, or a local
 * `YYYY-MM-DD HH:mm[:ss]` in the station's time zone (`T` or a space between date and time,
 * seconds may carry up to 6 decimals). Returns UTC ISO 8601 with the fraction as written.
 */
export function parseTimestamp(text: string, timeZone: string): string {
	const match = TIMESTAMP.exec(text);
	if (!match) throw new InvalidValue('not_timestamp');
	const [, year, month, day, hour, minute, second = '0', fraction, zulu, sign, offH, offM] = match;
	const local: WallClock = {
		year: Number(year),
		month: Number(month),
		day: Number(day),
		hour: Number(hour),
		minute: Number(minute),
		second: Number(second)
	};
	checkWallClock(local);
	let instant: number;
	if (zulu) {
		instant = wallClockAsUtc(local);
	} else if (sign) {
		if (Number(offH) > 18 || Number(offM) > 59) {
			throw new InvalidValue('impossible_offset', { offset: `${sign}${offH}:${offM}` });
		}
		const offset = (sign === '-' ? -1 : 1) * (Number(offH) * HOUR + Number(offM) * MINUTE);
		instant = wallClockAsUtc(local) - offset;
	} else {
		instant = instantOfWallClock(local, timeZone);
	}
	checkPlausible(instant, text);
	return new Date(instant).toISOString().slice(0, 19) + (fraction ? `.${fraction}` : '') + 'Z';
}

/** The earliest instant a repair record may carry: no station's history goes back further. */
const EARLIEST_PLAUSIBLE = Date.UTC(2000, 0, 1);
/** How far ahead of now a record may be: a booking for next month, not a mistyped year. */
const LATEST_PLAUSIBLE_AHEAD = 366 * DAY;

/**
 * Refuses a real but implausible date: a spreadsheet that turned 2026 into 1926 (a two-digit
 * year read in the wrong century) or 0026 (a year cell formatted as text) would otherwise put a
 * job a century away, where no scorecard ever shows it.
 */
function checkPlausible(instant: number, text: string): void {
	const latest = Date.now() + LATEST_PLAUSIBLE_AHEAD;
	if (instant >= EARLIEST_PLAUSIBLE && instant <= latest) return;
	const day = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);
	throw new InvalidValue('date_implausible', {
		value: echo(text),
		from: day(EARLIEST_PLAUSIBLE),
		to: day(latest)
	});
}

function wallClockAsUtc(local: WallClock): number {
	return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

function checkWallClock(local: WallClock): void {
	const date = new Date(Date.UTC(local.year, local.month - 1, local.day));
	if (date.getUTCMonth() !== local.month - 1 || date.getUTCDate() !== local.day) {
		throw new InvalidValue('not_calendar_date');
	}
	if (local.hour > 23 || local.minute > 59 || local.second > 59) {
		throw new InvalidValue('not_time_of_day');
	}
}

const UTC_TEXT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/;

/**
 * Writes a UTC timestamp (as Postgres prints it: `2026-03-02 01:30:00.5`, or ISO) in the
 * zone's wall-clock time with that zone's offset at that instant:
 * `2026-03-02T09:30:00.5+08:00`. Fractions are kept as given, trailing zeros dropped.
 * An offset with seconds (local mean time before 1900) cannot be written in ISO 8601, so
 * such instants are written in UTC.
 */
export function formatTimestampInZone(utcText: string, timeZone: string): string {
	const match = UTC_TEXT.exec(utcText);
	if (!match) throw new Error(`Not a UTC timestamp: ${utcText}`);
	const [, date, time, rawFraction = ''] = match;
	const fraction = rawFraction.replace(/0+$/, '');
	const suffix = fraction ? `.${fraction}` : '';
	const instant = Date.parse(`${date}T${time}Z`);
	const offset = utcOffsetAt(instant, timeZone);
	if (offset % MINUTE !== 0) return `${date}T${time}${suffix}Z`;
	const wallClock = new Date(instant + offset).toISOString().slice(0, 19);
	const minutes = Math.abs(offset) / MINUTE;
	const sign = offset < 0 ? '-' : '+';
	const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
	const mm = String(minutes % 60).padStart(2, '0');
	return `${wallClock}${suffix}${sign}${hh}:${mm}`;
}
