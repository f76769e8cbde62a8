import { requireAccountAdminPage } from '../access';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = requireAccountAdminPage(locals);
	return { adminRole: user.role };
};
