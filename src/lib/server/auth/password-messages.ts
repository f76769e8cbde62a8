/** A refused password in the reader's language (the policy itself also serves the CLI). */
import { m } from '$lib/paraglide/messages.js';
import type { PasswordProblem } from './password-policy';

export function passwordProblemMessage(problem: PasswordProblem): string {
	switch (problem.code) {
		case 'too_short':
			return m.acc_password_too_short({ min: problem.min });
		case 'too_long':
			return m.acc_password_too_long({ max: problem.max });
		case 'like_login':
			return m.acc_password_like_login();
		case 'common':
			return m.acc_password_common();
	}
}
