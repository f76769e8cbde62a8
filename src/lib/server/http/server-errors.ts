/**
 * Server faults are logged here with their full detail and an id; the client gets only the id
 * and a generic message in its language (hooks.server.ts handleError, tRPC's errorFormatter).
 * The log never holds a password or a session token: what looks like one is blanked.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTIONS: [RegExp, string][] = [
	// `password: "…"`, `"sessionToken":"…"`, `secret=…` in inspected objects, JSON and queries.
	[
		/(["']?\b[\w-]*(?:password|passwd|token|secret|cookie)[\w-]*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}\]]+)/gi,
		'$1[redacted]'
	],
	// Argon2 hashes and long random strings (session tokens, their SHA-256) in query parameters.
	[/\$argon2[\w$=,+/.-]+/g, '[redacted]'],
	// (UUIDs, the ids of jobs and people, stay: they are what the log is read for.)
	[/\b(?![0-9a-f]{8}-[0-9a-f]{4}-)[A-Za-z0-9_-]{32,}\b/gi, '[redacted]'],
	// The password in a connection URL.
	[/(\b[a-z][\w+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@']
];

export function redactSecrets(text: string): string {
	return REDACTIONS.reduce(
		(redacted, [pattern, replacement]) => redacted.replace(pattern, replacement),
		text
	);
}

/** Writes the error, its stack and causes to the server log; returns the id given to the client. */
export function logServerError(context: string, error: unknown): string {
	const errorId = randomBytes(4).toString('hex');
	const detail = inspect(error, { depth: 6, breakLength: Infinity });
	console.error(
		`RepairScore error ${errorId} (${redactSecrets(context)}): ${redactSecrets(detail)}`
	);
	return errorId;
}
