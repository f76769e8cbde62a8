/**
 * What the interchange command lines (scripts/import.ts, export.ts, kpi.ts) share: argument
 * parsing and exit codes. Exit codes: 0 done, 1 refused (problems in the files, unknown
 * station, database unavailable), 2 bad arguments. Results go to stdout, everything else to
 * stderr, so `npm run --silent kpi ... > rows.csv` captures only the data.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export class UsageError extends Error {}

type StringOptions<K extends string> = Record<K, { type: 'string' }>;

export function parseCommandLine<K extends string, F extends string = never>(
	argv: string[],
	options: readonly K[],
	positionalNames: readonly string[],
	/** Options that take no value (`--with-files`): true when given. */
	flags: readonly F[] = []
): {
	values: Partial<Record<K, string>> & Partial<Record<F, boolean>>;
	positionals: string[];
} {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				...(Object.fromEntries(
					options.map((option) => [option, { type: 'string' }])
				) as StringOptions<K>),
				...Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean' as const }]))
			}
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const { positionals } = parsed;
	if (positionals.length < positionalNames.length) {
		throw new UsageError(`${positionalNames[positionals.length]} is required`);
	}
	if (positionals.length > positionalNames.length) {
		throw new UsageError(`unexpected argument "${positionals[positionalNames.length]}"`);
	}
	return {
		values: parsed.values as Partial<Record<K, string>> & Partial<Record<F, boolean>>,
		positionals
	};
}

/** An option's value through a zod schema; a missing or invalid value is a usage error. */
export function optionValue<S extends z.core.$ZodType>(
	option: string,
	schema: S,
	value: string | undefined
): z.infer<S> {
	const result = z.safeParse(schema, value);
	if (result.success) return result.data;
	if (value === undefined) throw new UsageError(`--${option} is required`);
	throw new UsageError(`--${option} ${result.error.issues[0].message}`);
}

/**
 * Runs a command and sets the exit code: `main` returns it, a UsageError prints the message
 * and the usage (2), any other error prints its message, written for the person at the
 * terminal (1).
 */
export async function runCli(usage: string, main: (argv: string[]) => Promise<number>) {
	const argv = process.argv.slice(2);
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(usage);
		return;
	}
	try {
		process.exitCode = await main(argv);
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`Error: ${error.message}\n${usage}`);
			process.exitCode = 2;
		} else {
			console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
			process.exitCode = 1;
		}
	}
}
