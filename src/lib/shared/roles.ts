/**
 * Who may do what, by role (roles.md), asked by services, server pages and the pages' browser
 * loads alike. Apart from domain.ts on purpose: domain.ts travels with shared/schemas.ts into
 * the code every page loads, the phone's included (vite.config.ts, scripts/size-budget.mjs), and
 * these rules only concern the station's own pages and the server.
 */
import type { UserRole } from './domain';

/**
 * The supervisor rule (roles.md): scores, alerts, follow-up calls, settings, assigning and
 * verifying jobs are supervisors' alone. Services (jobs/access.ts requireSupervisor), server
 * pages (routes/access.ts) and the pages' browser loads all ask here.
 */
export function isSupervisor(user: { role: UserRole }): boolean {
	return user.role === 'supervisor';
}

/**
 * The desk rule (roles.md): taking calls (creating jobs for the station with the server's
 * clock as reported time), assigning and reassigning jobs with a reason, and follow-up calls
 * are the desk's and the supervisors' (supervisors can do everything the desk does).
 */
export function worksTheDesk(user: { role: UserRole }): boolean {
	return user.role === 'dispatcher' || user.role === 'supervisor';
}

/**
 * Who reads any job of the station on the job pages (roles.md): the desk, supervisors and
 * station administrators. A technician reads only their own jobs, in the technician app.
 */
export function readsStationJobs(user: { role: UserRole }): boolean {
	return user.role === 'supervisor' || user.role === 'admin' || user.role === 'dispatcher';
}

/**
 * Who works in a station (its jobs, files, sync, scores): everyone but the system administrator,
 * who manages stations and accounts, and the region manager, who reads their region through its
 * own reads only (roles.md). trpc/core.ts authedProcedure and the file endpoints ask here.
 */
export function worksInStation(user: { role: UserRole }): boolean {
	return user.role !== 'system_admin' && user.role !== 'region_manager';
}

/**
 * Who brings station data in and out (roles.md: import/export): supervisors and station
 * administrators, each into their own station only. The import page, its upload and the
 * upload's body limit ask here.
 */
export function managesStationData(user: { role: UserRole }): boolean {
	return user.role === 'supervisor' || user.role === 'admin';
}
