import { redirect } from '@sveltejs/kit';
import { homePathFor, requireUser } from './access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	redirect(303, homePathFor(requireUser(locals).role));
};
