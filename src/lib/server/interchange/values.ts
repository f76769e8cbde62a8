/**
 * Parsers for the cell values of the interchange files (import-format.md, "Values"). Each
 * takes the non-empty text of a cell (trimmed, except free text) and returns the value to
 * store, or throws InvalidValue with a reason; the caller names the file, line and column.
 */
import { z } from 'zod';
import { loginNameSchema, moneySchema, quantitySchema } from '../../shared/schemas';
import { echo, InvalidValue } from './problems';

export { InvalidValue };

const TRUE_WORDS = new Set(['true', 'yes', '1', '是']);
const FALSE_WORDS = new Set(['false', 'no', '0', '否']);

/** true/false, yes/no, 1/0 (any letter case) or 是/否. */
export function parseBoolean(text: string): boolean {
	const word = text.toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	throw new InvalidValue('not_boolean', { value: echo(text) });
}

/** A whole number in [min, max]. */
export function parseInteger(text: string, min: number, max: number): number {
	if (!/^[+-]?\d+$/.test(text)) throw new InvalidValue('not_whole_number', { value: echo(text) });
	const value = Number(text);
	if (value < min || value > max) {
		throw new InvalidValue('not_between', { value: echo(String(value)), min, max });
	}
	return value;
}

/** Money: >= 0 with at most 2 decimals, kept as the decimal string numeric(12,2) stores. */
export function parseMoney(text: string): string {
	const money = z.safeParse(moneySchema, text);
	if (money.success) return money.data;
	throw new InvalidValue('money_invalid', { value: echo(text) });
}

/** A quantity: > 0, decimals allowed (up to 3, what numeric(12,3) keeps without rounding). */
export function parseQuantity(text: string): string {
	const quantity = z.safeParse(quantitySchema, text);
	if (quantity.success) return quantity.data;
	// The schema's number format is checked first: a well-written number fails only by size.
	const written = /^\d{1,9}(\.\d{1,3})?$/.test(text.trim());
	throw new InvalidValue(written ? 'qty_not_positive' : 'qty_invalid', { value: echo(text) });
}

/** A sign-in name: letters, digits, ".", "_" and "-" (the app's rule for logins). */
export function parseLogin(text: string): string {
	if (loginNameSchema.safeParse(text).success) return text;
	throw new InvalidValue('login_invalid', { value: echo(text) });
}

/** One of `allowed`, in any letter case. */
export function parseChoice<T extends string>(text: string, allowed: readonly T[]): T {
	const value = text.toLowerCase();
	const found = allowed.find((choice) => choice === value);
	if (!found)
		throw new InvalidValue('not_one_of', { value: echo(text), allowed: allowed.join(', ') });
	return found;
}

/** Free text of at most `max` characters (the limits of the app's own forms). */
export function parseText(text: string, max: number): string {
	if (text.length > max) {
		throw new InvalidValue('text_too_long', { length: text.length, max });
	}
	return text;
}
