/**
 * Parsers for the cell values of the interchange files (import-format.md, "Values"). Each
 * takes the non-empty text of a cell (trimmed, except free text) and returns the value to
 * store, or throws InvalidValue with a reason; the caller names the file, line and column.
 */
import { z } from 'zod';
import { loginNameSchema, moneySchema, quantitySchema } from '../../shared/schemas';
import { InvalidValue } from './time';

export { InvalidValue };

const TRUE_WORDS = new Set(['true', 'yes', '1', '是']);
const FALSE_WORDS = new Set(['false', 'no', '0', '否']);

/** true/false, yes/no, 1/0 (any letter case) or 是/否. */
export function parseBoolean(text: string): boolean {
	const word = text.toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	throw new InvalidValue(`"${text}" is not true/false, yes/no, 1/0 or 是/否`);
}

/** A whole number in [min, max]. */
export function parseInteger(text: string, min: number, max: number): number {
	if (!/^[+-]?\d+$/.test(text)) throw new InvalidValue(`"${text}" is not a whole number`);
	const value = Number(text);
	if (value < min || value > max) {
		throw new InvalidValue(`${value} is not between ${min} and ${max}`);
	}
	return value;
}

/** Money: >= 0 with at most 2 decimals, kept as the decimal string numeric(12,2) stores. */
export function parseMoney(text: string): string {
	return viaSchema(moneySchema, text);
}

/** A quantity: > 0, decimals allowed (up to 3, what numeric(12,3) keeps without rounding). */
export function parseQuantity(text: string): string {
	return viaSchema(quantitySchema, text);
}

/** A sign-in name: letters, digits, ".", "_" and "-" (the app's rule for logins). */
export function parseLogin(text: string): string {
	if (loginNameSchema.safeParse(text).success) return text;
	throw new InvalidValue(`"${text}" is not a login: at most 64 letters, digits, ".", "_" and "-"`);
}

/** One of `allowed`, in any letter case. */
export function parseChoice<T extends string>(text: string, allowed: readonly T[]): T {
	const value = text.toLowerCase();
	const found = allowed.find((choice) => choice === value);
	if (!found) throw new InvalidValue(`"${text}" is not one of ${allowed.join(', ')}`);
	return found;
}

/** Free text of at most `max` characters (the limits of the app's own forms). */
export function parseText(text: string, max: number): string {
	if (text.length > max) {
		throw new InvalidValue(`is ${text.length} characters long; at most ${max} fit`);
	}
	return text;
}

function viaSchema(schema: z.core.$ZodType<string>, text: string): string {
	const result = z.safeParse(schema, text);
	if (result.success) return result.data;
	throw new InvalidValue(`"${text}" ${result.error.issues[0].message}`);
}
