/**
 * Roles by their translated names, for the server's refusals as well as the pages: a person
 * reads "主管" or "Supervisor", never the stored value `supervisor`.
 */
import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import type { UserRole } from './domain';

const roleNames: Record<UserRole, () => string> = {
	technician: m.role_technician,
	supervisor: m.role_supervisor,
	admin: m.role_admin,
	system_admin: m.acc_role_system_admin,
	dispatcher: m.role_dispatcher,
	region_manager: m.region_role_name
};

export const roleName = (role: UserRole): string => roleNames[role]();

/** "Supervisor or Administrator" / "主管或管理员", in the current request's language. */
export function roleAlternatives(roles: readonly UserRole[]): string {
	return new Intl.ListFormat(getLocale(), { type: 'disjunction' }).format(roles.map(roleName));
}
