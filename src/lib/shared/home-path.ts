import type { UserRole } from './domain';

/**
 * Each person's start page, after sign-in and at `/`: technicians their jobs, a station
 * administrator the import page (the one station page of theirs beside accounts, roles.md), the
 * desk the open-jobs board, everyone else the scorecard.
 */
export function homePathFor(
	role: UserRole
): '/tech' | '/supervisor' | '/supervisor/import' | '/desk' {
	if (role === 'technician') return '/tech';
	if (role === 'admin') return '/supervisor/import';
	if (role === 'dispatcher') return '/desk';
	return '/supervisor';
}
