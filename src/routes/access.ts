/** Who may open which page. Every page load asks here before it reads anything. */
import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from '$lib/server/auth/session-user';
import { isSupervisor, managesStationData, worksTheDesk } from '$lib/shared/roles';
import { m } from '$lib/paraglide/messages.js';

function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) redirect(303, '/login');
	return locals.user;
}

/**
 * The supervisor's pages (scores, alerts, follow-ups, settings, job decisions): a technician
 * must not see colleagues' figures, a station administrator manages accounts and station data
 * but no scores or jobs, and a system administrator sees no station's work (roles.md). The
 * rule is shared/domain.ts isSupervisor; the services' own check is jobs/access.ts
 * requireSupervisor.
 */
export function requireSupervisorPage(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (!isSupervisor(user)) error(403, m.acc2_supervisor_page_only());
	return user;
}

/**
 * The desk's pages (taking calls, dispatching, follow-up calls, reworks, overlaps): the desk and
 * supervisors (shared/domain.ts worksTheDesk); the services check the same rule themselves.
 */
export function requireDeskPage(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (!worksTheDesk(user)) error(403, m.wl_desk_page_only());
	return user;
}

/** Station data in and out (the import page and its upload): shared/roles.ts managesStationData. */
export function requireStationDataManager(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (!managesStationData(user)) error(403, m.acc2_station_data_page_only());
	return user;
}

/**
 * Account administration (/admin): station administrators (their station) and system
 * administrators (every station). Which station and account each may touch is decided by the
 * accounts service (auth/accounts.ts); this only keeps everyone else off the pages.
 */
export function requireAccountAdminPage(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (user.role !== 'admin' && user.role !== 'system_admin') error(403, m.adm_page_only());
	return user;
}

/** Creating stations (/admin/stations): system administrators only (roles.md). */
export function requireSystemAdminPage(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (user.role !== 'system_admin') error(403, m.adm_system_page_only());
	return user;
}

/** The region's pages (/region): region managers only; the region service checks the rest. */
export function requireRegionPage(locals: App.Locals): SessionUser {
	const user = requireUser(locals);
	if (user.role !== 'region_manager') error(403, m.region_page_only());
	return user;
}
