/** /admin: a system administrator starts at the stations, a station administrator at its accounts. */
import { redirect } from '@sveltejs/kit';
import { requireAccountAdminPage } from '../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = requireAccountAdminPage(locals);
	redirect(
		303,
		user.role === 'system_admin' ? '/admin/stations' : `/admin/stations/${user.stationId}`
	);
};
