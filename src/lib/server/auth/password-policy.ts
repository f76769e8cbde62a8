/**
 * What a new password must be, wherever one is set (accounts.ts: admin reset, the CLI, one's
 * own change, the demo). Server only: the dictionaries are megabytes and never belong in the
 * phone's bundle, and a browser-side check could be skipped anyway.
 *
 * Common and guessable passwords are judged by zxcvbn-ts with its maintained common-password
 * and name lists, which also catches keyboard walks, dates, repeats and l33t variants of
 * them; the person's own login and name count as known words.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn's "safely unguessable" (about 10^8 guesses and more); 0–2 are guessable online. */
const MIN_SCORE = 3;

type PasswordProblem =
	| { code: 'too_short'; min: number }
	| { code: 'too_long'; max: number }
	| { code: 'like_login' }
	| { code: 'common' };

/** Whose password it is: what an attacker would try first. */
interface PasswordOwner {
	login: string;
	name: string;
}

/** Words of this application that an attacker would also try. */
const APPLICATION_WORDS = ['repairscore', 'repair', 'score', 'demo', 'station', 'admin'];

let estimator: ZxcvbnFactory | null = null;

/** The first thing wrong with a new password, or null when it may be used. */
export function passwordProblem(password: string, owner: PasswordOwner): PasswordProblem | null {
	// Counted in code points, as a person counts characters (a Chinese character is one).
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) return { code: 'too_short', min: PASSWORD_MIN_LENGTH };
	if (length > PASSWORD_MAX_LENGTH) return { code: 'too_long', max: PASSWORD_MAX_LENGTH };
	const folded = password.toLowerCase();
	const personal = [owner.login, owner.name]
		.map((word) => word.trim().toLowerCase())
		// Two Chinese characters are a whole name; two Latin letters are in too many words.
		.filter((word) => [...word].length >= (/^[\x20-\x7e]*$/.test(word) ? 3 : 2));
	if (personal.some((word) => folded.includes(word))) return { code: 'like_login' };
	estimator ??= new ZxcvbnFactory({
		dictionary,
		graphs: adjacencyGraphs,
		useLevenshteinDistance: true
	});
	if (estimator.check(password, [...personal, ...APPLICATION_WORDS]).score < MIN_SCORE) {
		return { code: 'common' };
	}
	return null;
}

/** The problem in English, for the command line and the server's log. */
export function describePasswordProblem(problem: PasswordProblem): string {
	switch (problem.code) {
		case 'too_short':
			return `the password needs at least ${problem.min} characters`;
		case 'too_long':
			return `the password may have at most ${problem.max} characters`;
		case 'like_login':
			return "the password must not contain the login or the person's name";
		case 'common':
			return 'the password is too common or too easy to guess; choose a longer one that is not a word, name or pattern';
	}
}
