/**
 * `<input type="datetime-local">` values in the station's time zone. Times are shown in the
 * station's zone everywhere (ui/format.ts), so they are typed in it too, whatever zone the
 * phone is set to.
 */

function wallClockParts(date: Date, timeZone: string): Record<string, number> {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(date);
	const values: Record<string, number> = {};
	for (const part of parts) if (part.type !== 'literal') values[part.type] = Number(part.value);
	return values;
}

/** How far the zone's wall clock is ahead of UTC at `date`, in milliseconds. */
function zoneOffset(date: Date, timeZone: string): number {
	const p = wallClockParts(date, timeZone);
	const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return wallAsUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** "2026-03-02T09:05" for `date` on the zone's wall clock. */
export function toZonedInput(date: Date, timeZone: string): string {
	const p = wallClockParts(date, timeZone);
	const pad = (value: number, width = 2) => String(value).padStart(width, '0');
	return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The instant a "YYYY-MM-DDTHH:mm" wall-clock time in the zone means; null if not such a time. */
export function fromZonedInput(value: string, timeZone: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!match) return null;
	const [, year, month, day, hour, minute, second] = match.map(Number);
	const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second || 0);
	if (Number.isNaN(wallAsUtc)) return null;
	// The offset at the guessed instant, corrected once more in case a DST change lies between.
	let instant = wallAsUtc - zoneOffset(new Date(wallAsUtc), timeZone);
	instant = wallAsUtc - zoneOffset(new Date(instant), timeZone);
	return new Date(instant);
}

/** The zone's calendar day of `date`, "YYYY-MM-DD", to group jobs by day. */
export function zonedDay(date: Date, timeZone: string): string {
	return toZonedInput(date, timeZone).slice(0, 10);
}
