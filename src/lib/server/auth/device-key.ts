/**
 * The key pair that keeps a person's unsent changes unreadable on a shared phone after they sign
 * out (docs/pwa.md, "Shared phones and tablets").
 *
 * Why a key pair (P-256 ECDH) and not the secret itself as an AES key: a technician may open the
 * app offline and sign out offline, when the server cannot be asked for anything. The device
 * keeps the public half (it can only lock, never unlock) and seals the changes with it at
 * sign-out; the private half, needed to open them again, comes from the server only to the
 * signed-in person, and the device never stores it.
 *
 * The pair is derived from `users.local_data_key` (random per user), so no key material is
 * stored twice and the same person always gets the same pair.
 */
import { createECDH, createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { users } from '../db/schema';

/** The JWK members of a P-256 key pair (base64url), as WebCrypto imports them. */
interface DeviceKeyPair {
	x: string;
	y: string;
	d: string;
}

const P256_COORDINATE_BYTES = 32;

function deviceKeyPairFrom(localDataKey: string): DeviceKeyPair {
	// A 256-bit hash is a valid P-256 private scalar unless it is >= the group order (odds about
	// 2^-32); the next counter then gives another candidate, so every secret yields a pair.
	for (let counter = 0; ; counter++) {
		const scalar = createHash('sha256')
			.update(`repairscore-device-key:${counter}:${localDataKey}`)
			.digest();
		const ecdh = createECDH('prime256v1');
		try {
			ecdh.setPrivateKey(scalar);
		} catch {
			continue;
		}
		// Uncompressed point: 0x04 ‖ X ‖ Y.
		const point = ecdh.getPublicKey();
		return {
			x: point.subarray(1, 1 + P256_COORDINATE_BYTES).toString('base64url'),
			y: point.subarray(1 + P256_COORDINATE_BYTES).toString('base64url'),
			d: scalar.toString('base64url')
		};
	}
}

/** The key pair of one user (null if gone), for that user only: the caller checks who asks. */
export async function deviceKeyPairOf(
	db: Queryable,
	user: { id: string; stationId: string }
): Promise<DeviceKeyPair | null> {
	const [row] = await db
		.select({ localDataKey: users.localDataKey })
		.from(users)
		.where(and(eq(users.stationId, user.stationId), eq(users.id, user.id)));
	return row ? deviceKeyPairFrom(row.localDataKey) : null;
}
