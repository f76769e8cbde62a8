/**
 * Wall-clock time in a station's time zone, whatever zone the server or the device is set to:
 * the one place that turns instants into the station's local dates and times and back (the
 * technician's forms, the supervisor pages' "today", imports, the KPI oracle).
 *
 * Offsets come from Intl (the runtime's IANA time-zone data): the offset of an instant is the
 * difference between its wall-clock time in the zone and in UTC.
 */

/**
 * A zone's clock. Creating one costs far more than reading it (tens of µs): keep it to read
 * many instants.
 */
export type ZoneClock = Intl.DateTimeFormat;

export function zoneClock(timeZone: string): ZoneClock {
	return new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	});
}

/** The zone's UTC offset in milliseconds at an instant (UTC+8 → 28 800 000). */
export function utcOffsetAt(epochMs: number, clock: ZoneClock): number {
	const wholeSecond = Math.floor(epochMs / 1000) * 1000;
	// Literal parts become NaN entries nobody reads.
	const p: Record<string, number> = {};
	for (const part of clock.formatToParts(wholeSecond)) p[part.type] = Number(part.value);
	return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

/**
 * "2026-03-02T09:05": `date` on the zone's wall clock, to the minute, as an
 * `<input type="datetime-local">` shows and sends it.
 */
export function toZonedInput(date: Date, timeZone: string): string {
	const instant = date.getTime();
	return new Date(instant + utcOffsetAt(instant, zoneClock(timeZone))).toISOString().slice(0, 16);
}

/** The zone's calendar day of `date`, "YYYY-MM-DD": a station's "today", a job's day. */
export function zonedDay(date: Date, timeZone: string): string {
	return toZonedInput(date, timeZone).slice(0, 10);
}

/**
 * The instant a "YYYY-MM-DDTHH:mm[:ss]" wall-clock time in the zone means; null if not such a
 * time.
 */
export function fromZonedInput(value: string, timeZone: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!match) return null;
	const [, year, month, day, hour, minute, second] = match.map(Number);
	const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second || 0);
	if (Number.isNaN(wallAsUtc)) return null;
	// The offset at the guessed instant, corrected once more in case a DST change lies between.
	const clock = zoneClock(timeZone);
	let instant = wallAsUtc - utcOffsetAt(wallAsUtc, clock);
	instant = wallAsUtc - utcOffsetAt(instant, clock);
	return new Date(instant);
}
