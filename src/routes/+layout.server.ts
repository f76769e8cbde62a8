import { requireUser } from './access';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, route }) => {
	// Pages check access in their own loads too (loads run in parallel); this covers any page
	// without a load of its own.
	if (route.id !== '/login') requireUser(locals);
	const user = locals.user;
	return {
		user: user && {
			name: user.name,
			login: user.login,
			role: user.role,
			stationName: user.stationName,
			stationCode: user.stationCode,
			timeZone: user.timeZone
		}
	};
};
