/** The types of size-budget.mjs, for the benchmark that reuses its count (scripts/bench/client.ts). */

/** A built script and its size in bytes, as served and gzipped at level 9. */
export interface ScriptSize {
	file: string;
	raw: number;
	gzip: number;
}

/** The technician app's scripts, largest first, by when they load. */
export interface TechnicianScripts {
	onOpen: ScriptSize[];
	onDemand: ScriptSize[];
	onScanning: ScriptSize[];
}

export const BUDGET_KIB: number;
export const ON_DEMAND_BUDGET_KIB: number;
export const SCANNING_BUDGET_KIB: number;
export function technicianScripts(): TechnicianScripts;
export function checkTechnicianBudget(options?: {
	largest?: number;
	scripts?: TechnicianScripts;
}): boolean;
