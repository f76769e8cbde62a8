/** Who may open which page. Every page load asks here before it reads anything. */
import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from '$lib/server/auth/session-user';
import type { UserRole } from '$lib/shared/domain';
import { m } from '$lib/paraglide/messages.js';

export function homePathFor(role: UserRole): '/tech' | '/supervisor' {
	return role === 'technician' ? '/tech' : '/supervisor';
}

export function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) redirect(303, '/login');
	return locals.user;
}

/** The technicians' page: supervisors and admins have their own start page, so send them there. */
export function requireTechnician(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (user.role !== 'technician') redirect(303, homePathFor(user.role));
	return user;
}

/**
 * Station-wide pages: a technician must not see colleagues' figures, and a system
 * administrator (stations and accounts only, roles.md) sees no station's work.
 */
export function requireSupervisor(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (user.role === 'technician' || user.role === 'system_admin') {
		error(403, m.srv_supervisor_page_only());
	}
	return user;
}
