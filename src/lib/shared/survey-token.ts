/**
 * The customer survey's link token (docs/survey.md): made on the technician's phone at
 * completion, offline too, and checked by the server when the customer opens it. One definition
 * for both sides, on WebCrypto (browsers and Node alike).
 *
 * Layout (69 bytes, base64url: 92 characters):
 *   version (1) ‖ station id (16) ‖ technician id (16) ‖ job id (16) ‖ expiry, Unix seconds,
 *   big-endian (4) ‖ HMAC-SHA256 of all that with the technician's survey key, first 16 bytes.
 * The ids make it unguessable (random UUIDs); the MAC makes it unforgeable without the key,
 * which only the server and the technician's signed-in device hold.
 */

export const SURVEY_TOKEN_VERSION = 1;
/** How long after a job's completion its survey may be answered. */
export const SURVEY_VALID_DAYS = 30;
/** The public page's path: `${origin}${SURVEY_PATH}/${token}`. */
export const SURVEY_PATH = '/s';

const UUID_BYTES = 16;
const MAC_BYTES = 16;
const BODY_BYTES = 1 + 3 * UUID_BYTES + 4;
const TOKEN_BYTES = BODY_BYTES + MAC_BYTES;
/** The token's length as text; anything else is refused before any work. */
export const SURVEY_TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);

export interface SurveyClaims {
	stationId: string;
	technicianId: string;
	jobId: string;
	expiresAt: Date;
}

/** When a job completed at `completedAt` stops taking survey answers. */
export function surveyExpiry(completedAt: Date): Date {
	return new Date(completedAt.getTime() + SURVEY_VALID_DAYS * 24 * 60 * 60 * 1000);
}

function uuidBytes(id: string): Uint8Array {
	const hex = id.replaceAll('-', '');
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error('not a UUID');
	return Uint8Array.from({ length: UUID_BYTES }, (_, i) =>
		parseInt(hex.slice(i * 2, i * 2 + 2), 16)
	);
}

function uuidText(bytes: Uint8Array): string {
	const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function base64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
	try {
		const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
		return Uint8Array.from(binary, (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

async function mac(key: string, body: Uint8Array): Promise<Uint8Array> {
	const raw = fromBase64url(key);
	if (!raw || raw.length < 32) throw new Error('not a survey key');
	const hmac = await crypto.subtle.importKey(
		'raw',
		raw as Uint8Array<ArrayBuffer>,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const signature = await crypto.subtle.sign('HMAC', hmac, body as Uint8Array<ArrayBuffer>);
	return new Uint8Array(signature, 0, MAC_BYTES);
}

/** The token for these claims, signed with the technician's survey key (base64url). */
export async function signSurveyToken(key: string, claims: SurveyClaims): Promise<string> {
	const token = new Uint8Array(TOKEN_BYTES);
	token[0] = SURVEY_TOKEN_VERSION;
	token.set(uuidBytes(claims.stationId), 1);
	token.set(uuidBytes(claims.technicianId), 1 + UUID_BYTES);
	token.set(uuidBytes(claims.jobId), 1 + 2 * UUID_BYTES);
	new DataView(token.buffer).setUint32(
		1 + 3 * UUID_BYTES,
		Math.floor(claims.expiresAt.getTime() / 1000)
	);
	token.set(await mac(key, token.subarray(0, BODY_BYTES)), BODY_BYTES);
	return base64url(token);
}

/**
 * What a token claims, unchecked: the server reads it to find whose key signed it, then calls
 * verifySurveyToken. Null when it is not a token of this format at all.
 */
export function readSurveyToken(token: string): (SurveyClaims & { bytes: Uint8Array }) | null {
	if (token.length !== SURVEY_TOKEN_LENGTH) return null;
	const bytes = fromBase64url(token);
	if (!bytes || bytes.length !== TOKEN_BYTES || bytes[0] !== SURVEY_TOKEN_VERSION) return null;
	const uuidAt = (index: number) =>
		uuidText(bytes.subarray(1 + index * UUID_BYTES, 1 + (index + 1) * UUID_BYTES));
	const seconds = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1 + 3 * UUID_BYTES);
	return {
		stationId: uuidAt(0),
		technicianId: uuidAt(1),
		jobId: uuidAt(2),
		expiresAt: new Date(seconds * 1000),
		bytes
	};
}

/** Whether `bytes` (from readSurveyToken) carry the MAC `key` makes, compared in constant time. */
export async function verifySurveyToken(key: string, bytes: Uint8Array): Promise<boolean> {
	const expected = await mac(key, bytes.subarray(0, BODY_BYTES));
	const given = bytes.subarray(BODY_BYTES);
	let difference = 0;
	for (let i = 0; i < MAC_BYTES; i++) difference |= expected[i] ^ given[i];
	return difference === 0;
}
