/**
 * The demo's passwords: made at random for each account when the demo is created, printed
 * once, and stored only as argon2 hashes. No password of the demo is written anywhere.
 */
import { randomInt } from 'node:crypto';
import { passwordProblem, describePasswordProblem } from '../auth/password-policy';
import type { DemoAccount } from './catalog';

/** Lower-case letters and digits without the look-alikes 0/o, 1/l/i: easy to read and type. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Like "k7mw-4p2t-qzne": about 59 bits of randomness, typed on a phone in a few seconds. */
function generateDemoPassword(account: DemoAccount): string {
	for (;;) {
		const groups = Array.from({ length: GROUPS }, () =>
			Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
		);
		const password = groups.join('-');
		// A random draw that happens to spell something guessable is drawn again.
		if (passwordProblem(password, account) === null) return password;
	}
}

/**
 * Login → password for every demo account: `shared` for all of them (DEMO_PASSWORD, which
 * only the end-to-end tests set), else a new random one each. A shared password must pass
 * the same policy as any other.
 */
export function demoPasswords(
	accounts: readonly DemoAccount[],
	shared?: string
): Map<string, string> {
	if (shared !== undefined) {
		for (const account of accounts) {
			const problem = passwordProblem(shared, account);
			if (problem) {
				throw new Error(
					`DEMO_PASSWORD is refused for "${account.login}": ${describePasswordProblem(problem)}.`
				);
			}
		}
	}
	return new Map(
		accounts.map((account) => [account.login, shared ?? generateDemoPassword(account)])
	);
}
