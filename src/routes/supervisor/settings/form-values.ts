/**
 * How KPI rules appear in the settings form and how typed values are read back. Rates are
 * fractions in the API but percents on screen ("95" means 0.95); weights are shown as percent
 * shares of the total.
 */
import type { ScoredKpi } from '$lib/shared/domain';

export type KpiUnit = 'rate' | 'hours' | 'index' | 'money';

/** A number as a field shows it: at most 4 decimals, no float noise ("95", not "95.000…01"). */
export function fieldNumber(value: number): string {
	return String(Number(value.toFixed(4)));
}

export function thresholdField(unit: KpiUnit, value: number | null | undefined): string {
	if (value === null || value === undefined) return '';
	return fieldNumber(unit === 'rate' ? value * 100 : value);
}

export function weightField(weight: number): string {
	return String(Number((weight * 100).toFixed(2)));
}

/**
 * What was typed: null when the field is empty, NaN when it is not a number (the server's
 * validation then names the field). A trailing "%" is allowed, since rates read as percents.
 */
export function typedNumber(raw: string): number | null {
	const text = raw.trim().replace(/%$/, '').trim();
	if (text === '') return null;
	const value = Number(text);
	return Number.isFinite(value) ? value : Number.NaN;
}

/** The stored value of a threshold field; a field left as shown keeps the exact stored value. */
export function thresholdFromField(
	unit: KpiUnit,
	raw: string,
	stored: number | null | undefined
): number | null {
	if (raw === thresholdField(unit, stored)) return stored ?? null;
	const typed = typedNumber(raw);
	return typed !== null && unit === 'rate' ? typed / 100 : typed;
}

/** The relative weight of a weight field (an empty field is 0); unchanged keeps the exact share. */
export function weightFromField(raw: string, stored: number): number {
	if (raw === weightField(stored)) return stored;
	const typed = typedNumber(raw);
	return typed === null ? 0 : typed / 100;
}

/** Field names of a KPI's row in the thresholds form. */
export function kpiFieldName(
	kpi: ScoredKpi,
	field: 'pass' | 'excellent' | 'weight' | 'minimum'
): string {
	return `${kpi}.${field}`;
}
