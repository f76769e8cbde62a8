/**
 * Job numbers are given on the device, because a job is created offline and the technician
 * writes its number on the customer's receipt before any server is reachable.
 *
 * Format: `YYMMDD-TTTTTT-N`, e.g. `261103-K7QX2M-14`
 * - YYMMDD: the device's date when the job was created (for people; not needed for uniqueness);
 * - TTTTTT: a tag of 30 random bits taken from this device database's clientId, in Crockford
 *   base 32 (no I, L, O, U, so it reads back unambiguously over the phone);
 * - N: this device database's job counter, advanced in the same transaction that stores the job.
 *
 * Within one device database (tag, N) never repeats, so its numbers never collide. Two devices
 * collide only if their random tags are equal (for k devices of a station, probability about
 * k² / 2³¹: 5·10⁻⁶ for 100 devices) AND they reach the same counter value on the same day.
 * A wiped database gets a new clientId, hence a new tag, so restarting the counter is safe.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function deviceTag(clientId: string): string {
	// The first 8 hex digits of a v4 UUID are all random; 30 of those 32 bits make 6 characters.
	const bits = parseInt(clientId.replace(/-/g, '').slice(0, 8), 16) >>> 2;
	let tag = '';
	for (let shift = 25; shift >= 0; shift -= 5) tag += CROCKFORD[(bits >>> shift) & 31];
	return tag;
}

export function formatJobNumber(clientId: string, counter: number, madeAt: Date): string {
	const date = [madeAt.getFullYear() % 100, madeAt.getMonth() + 1, madeAt.getDate()]
		.map((part) => String(part).padStart(2, '0'))
		.join('');
	return `${date}-${deviceTag(clientId)}-${counter}`;
}
