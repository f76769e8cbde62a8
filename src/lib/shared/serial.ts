/**
 * A device serial as kpi.md's rework detection compares it: trimmed and case-insensitive. The
 * database keeps the same key in jobs.device_serial_key (lower(btrim(serial, …)) with the
 * characters of SERIAL_TRIMMED_CHARACTERS in db/schema.ts), which are exactly the white space
 * and line ends String.prototype.trim removes; serial.test.ts checks the two lists agree.
 */
export function serialKey(serial: string): string {
	return serial.trim().toLowerCase();
}
