/**
 * The customer survey's public page (docs/survey.md): no sign-in, one answer per job. Every
 * request is counted against its network address first (survey/service.ts), and a browser that
 * carries a staff session cookie is refused before the token is even read: staff, the job's
 * technician above all, never answer for the customer.
 */
import { fail, type Cookies } from '@sveltejs/kit';
import { serverDatabase } from '$lib/server/db/server-db';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { refusalIn } from '$lib/server/refusal';
import { refusalText } from '$lib/server/refusal-text';
import {
	answerSurvey,
	countSurveyRequest,
	openSurvey,
	refuseStaffSession
} from '$lib/server/survey/service';
import { surveyAnswerSchema } from '$lib/shared/survey-schemas';
import type { Actions, PageServerLoad } from './$types';

const STATUS = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 } as const;

interface Asker {
	locals: App.Locals;
	cookies: Cookies;
	request: Request;
	getClientAddress: () => string;
}

/**
 * A staff session: signed in now, or a session cookie at all (even one the auth hook found
 * expired and cleared: the request still came from a staff member's browser).
 */
function fromStaff({ locals, cookies, request }: Asker): boolean {
	const sent = request.headers.get('cookie') ?? '';
	return (
		locals.user !== null ||
		cookies.get(SESSION_COOKIE) !== undefined ||
		sent.split(';').some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`))
	);
}

/** Checks that hold before the token is read: who asks, and how often. */
async function admit(asker: Asker) {
	const { db } = await serverDatabase();
	refuseStaffSession(fromStaff(asker));
	await countSurveyRequest(db, asker.getClientAddress());
	return db;
}

/** A refusal as the page says it: plain, in the reader's language, nothing about the job. */
function refused(error: unknown) {
	const found = refusalIn(error);
	if (!found) throw error;
	return { status: STATUS[found.kind], message: refusalText(found.reason) };
}

export const load: PageServerLoad = async (event) => {
	try {
		const db = await admit(event);
		const survey = await openSurvey(db, event.params.token);
		return { stationName: survey.stationName, problem: null };
	} catch (error) {
		return { stationName: null, problem: refused(error).message };
	}
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = surveyAnswerSchema.safeParse({
			satisfaction: form.get('satisfaction') ?? undefined,
			issueResolved: form.get('issueResolved') ?? undefined,
			comment: String(form.get('comment') ?? '')
		});
		try {
			const db = await admit(event);
			if (!parsed.success) return fail(400, { answered: false, incomplete: true, problem: null });
			await answerSurvey(db, event.params.token, parsed.data);
			return { answered: true, incomplete: false, problem: null };
		} catch (error) {
			const { status, message } = refused(error);
			return fail(status, { answered: false, incomplete: false, problem: message });
		}
	}
};
