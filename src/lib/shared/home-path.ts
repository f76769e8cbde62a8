import type { UserRole } from './domain';

/**
 * Each person's start page, after sign-in and at `/`: technicians their jobs, a station
 * administrator the import page (the one station page of theirs beside accounts, roles.md), a
 * system administrator the stations (no station work is theirs), the desk the open-jobs board,
 * supervisors the station home, a region manager the region.
 */
export function homePathFor(
	role: UserRole
): '/tech' | '/supervisor' | '/supervisor/import' | '/admin/stations' | '/desk' | '/region' {
	if (role === 'technician') return '/tech';
	if (role === 'admin') return '/supervisor/import';
	if (role === 'system_admin') return '/admin/stations';
	if (role === 'dispatcher') return '/desk';
	if (role === 'region_manager') return '/region';
	return '/supervisor';
}
