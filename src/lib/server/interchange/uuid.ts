import { randomBytes } from 'node:crypto';

/**
 * A source of UUIDv7 (RFC 9562) ids that increase strictly in the order they are made, even
 * within one millisecond (the 12-bit rand_a field counts up, method 1 of the RFC).
 *
 * Imported rows get their ids in file order. That order matters where the KPI rules break
 * ties by id: of two follow-ups of a job with the same visited_at (and the same created_at, as
 * all rows of one import have), the later line of the file counts as the latest.
 */
export function uuidV7Source(now: () => number = Date.now): () => string {
	let lastMillis = -1;
	let counter = 0;
	// One call to the system's random source per 256 ids rather than per id.
	let pool = Buffer.alloc(0);
	let poolOffset = 0;
	return () => {
		let millis = now();
		if (millis <= lastMillis) {
			counter += 1;
			if (counter > 0xfff) {
				lastMillis += 1;
				counter = 0;
			}
			millis = lastMillis;
		} else {
			lastMillis = millis;
			counter = 0;
		}
		if (poolOffset === pool.length) {
			pool = randomBytes(16 * 256);
			poolOffset = 0;
		}
		const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
		poolOffset += 16;
		bytes.writeUIntBE(millis, 0, 6);
		bytes[6] = 0x70 | (counter >> 8);
		bytes[7] = counter & 0xff;
		bytes[8] = 0x80 | (bytes[8] & 0x3f);
		const hex = bytes.toString('hex');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	};
}
