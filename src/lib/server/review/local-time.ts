/**
 * The station's wall-clock time 'YYYY-MM-DDTHH:mm', as a datetime-local field shows and sends
 * it: what "now" reads on the station's clocks, whatever the server's or the browser's zone.
 */
export function localDateTimeIn(timeZone: string, instant: Date): string {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	}).formatToParts(instant);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		parts.find((candidate) => candidate.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}
