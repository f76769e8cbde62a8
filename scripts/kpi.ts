/**
 * npm run kpi -- --station <code> --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv]
 *
 * Prints the station's KPI rows (kpi.md, "Output row") for the local dates [from, to) to
 * standard output: JSON (default), an array of objects with the contract's keys in order, or
 * CSV with a header row, null as an empty cell, a UTF-8 BOM first and text cells safe from
 * spreadsheet formulas (as the supervisor's scorecard.csv download). A closed month prints the rows
 * stored at closing (docs/kpi-rules.md, "Closed periods") and says so, with who closed it when, on
 * standard error. Nothing else goes to stdout, so
 * `npm run --silent kpi -- ... > rows.csv` captures the data only. Uses the server's database
 * (DATABASE_URL, else PGLITE_DIR). Exit codes: 0 printed, 1 refused (unknown station),
 * 2 bad arguments.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { openMigratedDatabase } from '../src/lib/server/db/index';
import { stations } from '../src/lib/server/db/schema';
import {
	parseCommandLine,
	optionValue,
	runCli,
	UsageError
} from '../src/lib/server/interchange/cli';
import { scorecardToCsv, scorecardToJson } from '../src/lib/server/interchange/index';
import { closureOf, scorecardOfPeriod } from '../src/lib/server/kpi/closed-periods';
import { refreshStation } from '../src/lib/server/kpi/fact-refresh';
import { kpiPeriodSchema, localDateSchema } from '../src/lib/shared/kpi';
import { stationCodeSchema } from '../src/lib/shared/schemas';

const USAGE =
	'Usage: npm run kpi -- --station <code> --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv]\n' +
	'  The period is [from, to): "to" itself is excluded.';

const formatSchema = z.enum(['json', 'csv']).default('json');

await runCli(USAGE, async (argv) => {
	const { values } = parseCommandLine(argv, ['station', 'from', 'to', 'format'], []);
	const stationCode = optionValue('station', stationCodeSchema, values.station);
	const from = optionValue('from', localDateSchema, values.from);
	const to = optionValue('to', localDateSchema, values.to);
	const format = optionValue('format', formatSchema, values.format);
	const period = kpiPeriodSchema.safeParse({ from, to });
	if (!period.success) throw new UsageError(`--to ${period.error.issues[0].message}`);

	const handle = await openMigratedDatabase();
	try {
		const [station] = await handle.db
			.select({ id: stations.id })
			.from(stations)
			.where(eq(stations.code, stationCode));
		if (!station) throw new Error(`There is no station with code ${stationCode}.`);
		const closure = await closureOf(handle.db, station.id, period.data);
		if (closure) {
			process.stderr.write(
				`${period.data.from}..${period.data.to} is closed (by ${closure.closedBy} at ${closure.closedAt.toISOString()}): the rows are those stored at closing.\n`
			);
		}
		// No server's background worker may be running (the embedded database admits one process):
		// the command brings the station's facts up to date itself, as the worker would.
		await refreshStation(handle.db, station.id);
		const { rows } = await scorecardOfPeriod(handle.db, station.id, period.data);
		// The same bytes as the supervisor's scorecard.csv download: a BOM for Excel.
		process.stdout.write(
			format === 'csv' ? scorecardToCsv(rows, { bom: true }) : scorecardToJson(rows)
		);
	} finally {
		await handle.close();
	}
	return 0;
});
