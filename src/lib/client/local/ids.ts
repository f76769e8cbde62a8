/**
 * Ids made on the device, so rows can be created offline.
 *
 * Row ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. They sort by
 * creation time, which keeps IndexedDB and Postgres b-tree inserts local. Within one
 * millisecond the 12-bit `rand_a` field is used as a counter (RFC 9562 §6.2, method 1), so ids
 * made by one device also sort in the order they were made.
 *
 * `crypto.randomUUID` exists only in secure contexts; a phone on a plain-http LAN address has
 * `crypto.getRandomValues` but not it, so both kinds of UUID are built from random bytes here.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function format(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < 16; i++) {
		if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
		out += HEX[bytes[i]];
	}
	return out;
}

/** A random (version 4) UUID. */
export function uuidv4(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	return format(bytes);
}

let lastMillis = -1;
let sequence = 0;

/** A time-ordered (version 7) UUID; `now` is injectable for tests. */
export function uuidv7(now: number = Date.now()): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	let millis = Math.max(now, lastMillis);
	if (millis === lastMillis) {
		sequence += 1;
		// 4096 ids in one millisecond: borrow the next millisecond rather than repeat a counter.
		if (sequence > 0xfff) {
			millis += 1;
			sequence = bytes[7] & 0x3ff;
		}
	} else {
		// Start each millisecond low in the counter range so it has room to count up.
		sequence = bytes[7] & 0x3ff;
	}
	lastMillis = millis;

	// 48-bit big-endian timestamp; split because bitwise operators work on 32 bits.
	const high = Math.floor(millis / 2 ** 16);
	const low = millis % 2 ** 16;
	bytes[0] = (high >>> 24) & 0xff;
	bytes[1] = (high >>> 16) & 0xff;
	bytes[2] = (high >>> 8) & 0xff;
	bytes[3] = high & 0xff;
	bytes[4] = (low >>> 8) & 0xff;
	bytes[5] = low & 0xff;
	bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
	bytes[7] = sequence & 0xff;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	return format(bytes);
}
