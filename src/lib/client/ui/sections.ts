/**
 * The station pages' section navigation, by role: a person is offered only the pages the server
 * lets them open (roles.md). Supervisors see everything the desk does and their own pages; the
 * desk its board and worklists; a station administrator the import and the accounts; a system
 * administrator the stations.
 */
import { m } from '$lib/paraglide/messages.js';
import type { UserRole } from '$lib/shared/domain';

export interface Section {
	href: string;
	label: () => string;
	/** Further paths that belong to this section (a job page belongs to the home). */
	includes?: readonly string[];
}

const HOME: Section = {
	href: '/supervisor',
	label: m.home_nav,
	includes: ['/supervisor/technicians/', '/supervisor/jobs/']
};
const BOARD: Section = { href: '/desk', label: m.board_nav };
const NEW_CALL: Section = { href: '/desk/calls/new', label: m.desk_nav_new_call };
const FOLLOW_UPS: Section = { href: '/desk/follow-ups', label: m.wl_nav_follow_ups };
const REWORKS: Section = { href: '/desk/reworks', label: m.wl_nav_reworks };
const OVERLAPS: Section = { href: '/desk/overlaps', label: m.sync_nav_overlaps };
const IMPORT: Section = { href: '/supervisor/import', label: m.sc_nav_import };
/** `/admin` opens the administrator's own station's accounts. */
const ACCOUNTS: Section = { href: '/admin', label: m.adm_nav_accounts, includes: ['/admin/'] };

const SECTIONS: Partial<Record<UserRole, readonly Section[]>> = {
	supervisor: [
		HOME,
		BOARD,
		NEW_CALL,
		{ href: '/supervisor/alerts', label: m.sc_nav_alerts },
		FOLLOW_UPS,
		{ href: '/supervisor/quality', label: m.sc_nav_quality },
		{ href: '/supervisor/report', label: m.rp_nav },
		REWORKS,
		{ href: '/supervisor/verify', label: m.wl_nav_verify },
		{ href: '/supervisor/appeals', label: m.ap_nav_appeals },
		OVERLAPS,
		IMPORT,
		{ href: '/supervisor/settings', label: m.sc_nav_settings }
	],
	dispatcher: [BOARD, NEW_CALL, FOLLOW_UPS, REWORKS, OVERLAPS],
	admin: [IMPORT, ACCOUNTS],
	system_admin: [{ href: '/admin/stations', label: m.adm_nav_stations }],
	region_manager: [{ href: '/region', label: m.region_nav, includes: ['/region/'] }]
};

export function sectionsFor(role: UserRole | undefined): readonly Section[] {
	return (role && SECTIONS[role]) || [];
}

/** 'page' for the section's own page, 'true' for a page within it, else undefined. */
export function sectionCurrent(section: Section, path: string): 'page' | 'true' | undefined {
	if (path === section.href) return 'page';
	const within =
		section.includes?.some((prefix) => path.startsWith(prefix)) ||
		(section.href !== '/supervisor' &&
			section.href !== '/desk' &&
			path.startsWith(`${section.href}/`));
	return within ? 'true' : undefined;
}
