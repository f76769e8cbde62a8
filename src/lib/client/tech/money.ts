/**
 * Money and quantities travel as decimal strings (never floats, shared/schemas.ts); a part
 * line's total is shown by multiplying them as scaled integers: cents × thousandths.
 */
export function lineTotal(qty: string, unitCost: string): string {
	const cents = Math.round(Number(unitCost) * 100);
	const thousandths = Math.round(Number(qty) * 1000);
	return formatCents(Math.round((cents * thousandths) / 1000));
}

export function sumMoney(amounts: readonly string[]): string {
	return formatCents(amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0));
}

function formatCents(cents: number): string {
	return (cents / 100).toFixed(2);
}
